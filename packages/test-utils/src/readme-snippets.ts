// An example's README quotes its files: the page is marked `<!-- quotes examples/<name> -->` and each code
// block starts with `// <path>`. The docs' snippet check (docs/scripts/check-snippets.mjs) compares each block
// with the file it names, so a snippet that drifts from the code — a solution missing a line of the real fix —
// fails. Each example's test/readme-snippets.test.ts binds these tests to its folder.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const check = fileURLToPath(new URL('../../../docs/scripts/check-snippets.mjs', import.meta.url))

/**
 * Declares the README snippet tests of the example in `root` (its folder): every ts block of its README is a
 * verbatim part of the file it names (`blocks` of them, checked), and a block that lost a line fails the check.
 */
export function testReadmeSnippets(root: string, blocks: number): void {
  const readme = join(root, 'README.md')
  const name = basename(root)

  test('every ts block of the README is a verbatim part of the file it names', () => {
    const output = execFileSync(process.execPath, [check, readme], { encoding: 'utf8' })
    expect(output).toMatch(
      new RegExp(`^check-snippets: ${blocks} blocks? in 1 pages checked, 0 marked unchecked`),
    )
  })

  test('a block that lost a line of its file fails the check, naming the README’s line', () => {
    const markdown = readFileSync(readme, 'utf8')
    const lastBlock = markdown.lastIndexOf('```ts\n')
    const end = markdown.indexOf('\n```\n', lastBlock)
    expect(lastBlock, `${readme} has no ts block`).toBeGreaterThanOrEqual(0)
    const lines = markdown.slice(lastBlock, end).split('\n')
    // The fence, the `// <path>` line, then at least three lines of code: the last but one is dropped, so
    // what is left is not one run of the file's lines.
    expect(lines.length, `${readme}: its last ts block needs three lines of code`).toBeGreaterThanOrEqual(5)
    lines.splice(-2, 1)
    const folder = mkdtempSync(join(tmpdir(), 'readme-snippets-'))
    try {
      const drifted = join(folder, 'README.md')
      writeFileSync(drifted, markdown.slice(0, lastBlock) + lines.join('\n') + markdown.slice(end))
      const run = spawnSync(process.execPath, [check, drifted], { encoding: 'utf8' })
      expect(run.status).toBe(1)
      const line = markdown.slice(0, lastBlock).split('\n').length
      expect(run.stderr).toContain(`README.md:${line}: the block is not a verbatim part of examples/${name}/`)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
}
