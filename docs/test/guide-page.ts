import { readFileSync } from 'node:fs'
import { codeBlocks } from '../scripts/check-snippets.mjs'

/** A page of the site, for tests that run what it shows. */
export function guidePage(path: string) {
  const markdown = readFileSync(new URL(`../src/${path}`, import.meta.url), 'utf8')
  return {
    /** The code block whose first line is `// <header>` (a file of the page's project), with that line. */
    file(header: string): string {
      const block = codeBlocks(markdown).find((b) => b.code.split('\n', 1)[0] === `// ${header}`)
      if (!block) throw new Error(`${path} has no code block starting with "// ${header}"`)
      return `${block.code}\n`
    },
    /**
     * The code blocks fenced as ```<lang> [<label>]: one tab of a VitePress code group (`sh`, `pnpm`), in
     * the page's order.
     */
    tabs(lang: string, label: string): string[] {
      const fence = `\`\`\`${lang} [${label}]`
      const lines = markdown.split('\n')
      const found: string[] = []
      lines.forEach((line, i) => {
        if (line.trim() !== fence) return
        const end = lines.findIndex((l, j) => j > i && l.trim() === '```')
        found.push(lines.slice(i + 1, end).join('\n'))
      })
      return found
    },
    /** The lines of the code block right after `<!-- output:<name> -->`: output the page shows. */
    output(name: string): string[] {
      const marker = markdown.indexOf(`<!-- output:${name} -->`)
      const block = marker < 0 ? undefined : codeBlocks(markdown.slice(marker)).at(0)
      if (!block) throw new Error(`${path} has no output block "${name}"`)
      return block.code.split('\n')
    },
  }
}

/** A size as memgate prints it ("27.2 MB", "0 B"). */
const SIZE = String.raw`\d+(?:\.\d)? (?:B|kB|MB|GB)`

/**
 * A pattern for a line of output the page shows, whose sizes may differ from run to run a little: every size
 * matches any size, and runs of spaces (column padding) any run of spaces. Everything else must be the same.
 */
export function lineMatcher(line: string): RegExp {
  const escaped = line.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(escaped.replace(/\d+(?:\\\.\d)? (?:B|kB|MB|GB)/g, SIZE).replace(/ {2,}/g, ' +'))
}
