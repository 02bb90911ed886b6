// The three-service leak gate must be able to fail: the leaky gateway as shipped (the frozen copy of src/leaky/,
// test/fixtures/unsolved/, in a scratch copy of the example), run as the gateway service in front of the real
// products and orders services, fails services-gateway-leaks.test.ts with memgate's message naming the session
// registry and the unbounded cache, in the gateway's process.
import { runVitest } from '@memgate/test-utils'
import { afterAll, expect, test } from 'vitest'
import { EXERCISE_ENV, UNSOLVED } from './exercise.js'
import { removeScratch, scratchCopy } from './scratch.js'

const root = scratchCopy(UNSOLVED)
afterAll(() => removeScratch(root))

test('the leaky gateway service fails the three-service leak gate, its registry named', async () => {
  const run = await runVitest(root, {
    env: EXERCISE_ENV,
    inline: { include: ['test/services-gateway-leaks.test.ts'] },
  })
  expect(run.moduleErrors).toEqual([])
  expect(run.tests).toHaveLength(1)
  const [result] = run.tests
  expect(result?.state).toBe('failed')
  expect(result?.errors[0]?.name).toBe('LeakLimitError')
  const message = result?.errors[0]?.message ?? ''
  expect(message).toMatch(/^Test may leak 128 kB but left \d+(\.\d+)? (kB|MB) reachable after it returned/)
  // The answers the gateway read from the services, allocated by its HTTP client to them…
  expect(message).toMatch(/\S*src\/(services\/remote-store|session|leaky\/sessions)\.ts:\d+\)/)
  // …and kept by the gateway: its session registry (and, in most runs, its cache) holds them.
  expect(message).toMatch(/held by [^\n]*registry \(SessionRegistry\) → sessions/)
  // 1,400 requests left ~880 kB, ~630 bytes a request: far over the limit, not a near miss.
  expect(result?.meta.memgateResult?.leaked).toBeGreaterThan(512e3)
})
