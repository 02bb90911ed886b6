import { fileURLToPath } from 'node:url'
import { runVitest } from '@memgate/test-utils'
import { expect, test } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

test('the leaky gateway fails its leak test with memgate’s message naming the session registry', async () => {
  const run = await runVitest(root, {
    env: { ORDERS_VARIANT: 'leaky' },
    inline: { include: ['test/gateway-leaks.test.ts'] },
  })
  expect(run.moduleErrors).toEqual([])
  expect(run.tests).toHaveLength(1)
  const [result] = run.tests
  expect(result?.state).toBe('failed')
  expect(result?.errors[0]?.name).toBe('LeakLimitError')
  const message = result?.errors[0]?.message ?? ''
  expect(message).toMatch(
    /^Test may leak 128 kB but left \d+(\.\d+)? (kB|MB) reachable after it returned \(JS heap /,
  )
  // Where the memory still reachable was allocated: the sessions the leaky registry opens. (The sites come
  // from sampling, one sample per 32 KiB on average: which frame of the session's stack tops the list varies.)
  expect(message).toMatch(/(DatabaseSession|sessionFor) \(\S*src\/(session|leaky\/sessions)\.ts:\d+\)/)
  // And what keeps it: the leak diagnosis's retainer paths, from a GC root through the registry that never
  // lets a session go. (Which group's path goes through the unbounded cache instead varies from run to run.)
  expect(message).toMatch(/\nLeak diagnosis [^\n]*\n/)
  expect(message).toMatch(/held by [^\n]*registry \(SessionRegistry\) → sessions/)
  // A 2,100-request body that runs for 2 s or more is re-run without allocation tracking, and the failure
  // says so and how to get the per-kind sites anyway; on a machine where it ran faster, each kind has its site.
  if (/\nAllocation sites per kind were not tracked/.test(message)) {
    expect(message).toMatch(/\nAllocation sites per kind were not tracked: the body took [\d.]+ m?s, /)
    expect(message).toContain('`diagnose: { sites: true }` tracks them anyway')
  } else {
    expect(message).toMatch(/\n +allocated at \S+ \(\S*src\/(session|leaky\/sessions|queries)\.ts:\d+\)/)
    // Every session the run left is placed where the leaky registry made it: one function, whichever route
    // called it, and none lost (V8 would lose the stack of an object a full GC moved: memgate keeps them).
    expect(message).toMatch(
      /DatabaseSession \([\d,]+ new\)\n(?: +held by [^\n]*\n)? +allocated at sessionFor \(\S*src\/leaky\/sessions\.ts:\d+\)\n/,
    )
  }
  // Over 2,100 requests the leaky gateway keeps ~1.3 MB: well over the limit, not a near miss.
  expect(result?.meta.memgateResult?.leaked).toBeGreaterThan(640e3)
})
