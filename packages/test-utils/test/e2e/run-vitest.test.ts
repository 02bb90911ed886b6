import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { runVitest, testNamed } from '../../src/index.js'

const root = fileURLToPath(new URL('../fixtures/basic/', import.meta.url))

test('runs a fixture project with real Vitest and reports each test, leaving the exit code alone', async () => {
  const exitCode = process.exitCode
  const run = await runVitest(root, { env: { FIXTURE_FLAG: 'on' } })
  expect(process.exitCode).toBe(exitCode)
  expect(run.moduleErrors).toEqual([])
  expect(testNamed(run, 'passes')).toMatchObject({ state: 'passed', errors: [] })
  const failed = testNamed(run, 'fails')
  expect(failed.state).toBe('failed')
  expect(failed.errors[0]?.message).toBe('expected 2 to be 3 // Object.is equality')
  expect(() => testNamed(run, 'missing')).toThrow('No test "missing" in: passes, fails')
})
