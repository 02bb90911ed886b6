// The orders service's peak limit must be able to fail: the same load with the seed's local TTL cache in the
// orders service (ORDERS_CACHE=local) keeps every page of orders it answers in that service's heap (500 entries,
// bounded by count and not by bytes), and services-peak.test.ts's orders test fails, run as a user runs it.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const VITEST = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url))

test('the orders service with the local cache fails its peak limit: the cached pages count against it', async () => {
  const run = await promisify(execFile)(
    process.execPath,
    [VITEST, 'run', 'test/services-peak.test.ts', '-t', 'the orders service', '--reporter', 'verbose'],
    { cwd: root, env: { ...process.env, ORDERS_CACHE: 'local', NO_COLOR: '1' }, maxBuffer: 16e6 },
  ).then(
    () => ({ failed: false, output: '' }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      failed: error.code === 1,
      output: `${error.stdout}${error.stderr}`,
    }),
  )
  expect(run.failed).toBe(true)
  expect(run.output).toContain('the orders service (ORDERS_CACHE=local) > 700 requests')
  const reached =
    /MemoryLimitError: Test was limited to 6 MB of peak memory but reached (\d+(?:\.\d+)?) MB/.exec(
      run.output,
    )
  expect(reached, run.output.slice(-3000)).not.toBeNull()
  // 40 pages of 1,000 orders kept as text, ~8 MB over the ~3 MB of the run without a cache: not a near miss.
  expect(Number(reached?.[1])).toBeGreaterThan(9)
  expect(run.output).toMatch(/Tests {2}1 failed \| 2 skipped/)
})
