// The README's code blocks quote the example's files: the page is marked `<!-- quotes examples/bulk-downloads -->`
// and each block starts with `// <path>`. The docs' snippet check (docs/scripts/check-snippets.mjs) compares
// each block with the file it names, so a snippet that drifts from the code — a solution missing a line of the
// real fix — fails here.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const readme = fileURLToPath(new URL('../README.md', import.meta.url))
const check = fileURLToPath(new URL('../../../docs/scripts/check-snippets.mjs', import.meta.url))

test('every ts block of the README is a verbatim part of the file it names', () => {
  const output = execFileSync(process.execPath, [check, readme], { encoding: 'utf8' })
  expect(output).toMatch(/^check-snippets: 1 blocks? in 1 pages checked, 0 marked unchecked/)
})

test('a block that lost a line of its file fails the check, naming the README’s line', () => {
  const markdown = readFileSync(readme, 'utf8')
  const lastBlock = markdown.lastIndexOf('```ts\n')
  const end = markdown.indexOf('\n```\n', lastBlock)
  const lines = markdown.slice(lastBlock, end).split('\n')
  lines.splice(-2, 1)
  const folder = mkdtempSync(join(tmpdir(), 'readme-snippets-'))
  try {
    const drifted = join(folder, 'README.md')
    writeFileSync(drifted, markdown.slice(0, lastBlock) + lines.join('\n') + markdown.slice(end))
    const run = spawnSync(process.execPath, [check, drifted], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    const line = markdown.slice(0, lastBlock).split('\n').length
    expect(run.stderr).toContain(
      `README.md:${line}: the block is not a verbatim part of examples/bulk-downloads/`,
    )
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})
