import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const run = promisify(execFile)

test('memgate --version prints the package version', async () => {
  const { stdout } = await run(process.execPath, [bin, '--version'])
  expect(stdout.trim()).toBe('0.1.0')
})

test('memgate --help describes the command', async () => {
  const { stdout } = await run(process.execPath, [bin, '--help'])
  expect(stdout).toContain('Memory-limit assertions for Vitest')
  expect(stdout).toContain('memgate')
})
