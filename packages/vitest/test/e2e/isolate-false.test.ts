import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, expect, test } from 'vitest'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

// `isolate: false`: every file runs in one worker and one module graph, in order.
let run: FixtureRun
beforeAll(async () => {
  run = await runFixture('no-isolate', { pool: 'forks' })
}, 120_000)

test('each file still gets its limits, in both files', () => {
  expect(run.moduleErrors).toEqual([])
  for (const file of ['first', 'second']) {
    expect(testNamed(run, `${file} file: within its limit`).state).toBe('passed')
    const over = testNamed(run, `${file} file: over its limit`)
    expect(over.state).toBe('failed')
    expect(over.errors.map((e) => e.name)).toEqual(['MemoryLimitError'])
  }
})

test('a leak is charged to the test that made it, not to a later file in the same worker', () => {
  const leaking = testNamed(run, 'first file: keeps 8 MB in shared module state')
  expect(leaking.state).toBe('failed')
  expect(leaking.errors.map((e) => e.name)).toEqual(['LeakLimitError'])
  expect(leaking.meta.memgateResult?.leaked).toBeGreaterThan(7_000_000)
  const later = testNamed(run, 'second file: the earlier file left its data behind')
  expect(later.errors).toEqual([])
  expect(later.state).toBe('passed')
  expect(later.meta.memgateResult?.leaked).toBeLessThan(64_000)
})

test('the bodies are wrapped once per run: the second file measures the same as the first', () => {
  const first = testNamed(run, 'first file: within its limit').meta.memgateResult?.peak ?? 0
  const second = testNamed(run, 'second file: within its limit').meta.memgateResult?.peak ?? 0
  expect(first).toBeGreaterThan(19_000_000)
  // A second wrapper around the body (a hook registered twice) would measure memgate inside memgate.
  expect(Math.abs(second - first)).toBeLessThan(0.1 * first + 2_000_000)
})

test('the summary lists the tests of both files', () => {
  const path = fileURLToPath(
    new URL('../fixtures/no-isolate/.memgate-no-isolate/summary.json', import.meta.url),
  )
  const summary = JSON.parse(readFileSync(path, 'utf8')) as { tests: { name: string }[] }
  const names = summary.tests.map((t) => t.name)
  expect(names).toEqual(
    expect.arrayContaining(['first file: within its limit', 'second file: over its limit']),
  )
})
