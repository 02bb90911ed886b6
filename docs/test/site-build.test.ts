import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

// The docs build must fail on a dead link (VitePress's default, which the site's configuration keeps):
// the site's own configuration, built over a page that links to nothing.
test('a dead link fails the site build', async () => {
  const docs = fileURLToPath(new URL('..', import.meta.url))
  const vitepress = fileURLToPath(new URL('../node_modules/vitepress/bin/vitepress.js', import.meta.url))
  const { code, output } = await new Promise<{ code: number; output: string }>((done) => {
    execFile(
      process.execPath,
      [vitepress, 'build', 'test/fixtures/dead-link'],
      { cwd: docs, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    )
  })
  expect(code, output).not.toBe(0)
  expect(output).toMatch(/1 dead link\(s\) found/)
  expect(output).toContain('./no-such-page')
})
