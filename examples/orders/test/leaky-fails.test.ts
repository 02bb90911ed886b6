// A gate that never fails proves nothing: the leaky gateway as shipped must fail the leak test, and behave as
// test/unsolved/leaky-variant.test.ts says. Both run on a scratch copy of the example with the frozen copy of
// src/leaky/ (test/fixtures/unsolved/) in place, so a learner who fixes src/leaky/ keeps this test green.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runVitest } from '@memgate/test-utils'
import { afterAll, expect, test } from 'vitest'
import { EXERCISE_ENV, UNSOLVED } from './exercise.js'
import { removeScratch, scratchCopy } from './scratch.js'

const root = scratchCopy(UNSOLVED)
afterAll(() => removeScratch(root))

test('the leaky gateway fails its leak test with memgate’s message naming the session registry', async () => {
  const run = await runVitest(root, {
    env: EXERCISE_ENV,
    inline: { include: ['test/gateway-leaks.test.ts', 'test/unsolved/leaky-variant.test.ts'] },
  })
  expect(run.moduleErrors).toEqual([])
  // What the exercise asks to change, as shipped: every session kept, every answer cached.
  expect(run.tests.filter((t) => t.name.startsWith('the leaky gateway')).map((t) => t.state)).toEqual([
    'passed',
    'passed',
  ])
  const leakTests = run.tests.filter((t) => t.name.includes('requests leave at most'))
  expect(leakTests).toHaveLength(1)
  const [result] = leakTests
  expect(result?.state).toBe('failed')
  expect(result?.errors[0]?.name).toBe('LeakLimitError')
  const message = result?.errors[0]?.message ?? ''
  expect(message).toMatch(
    /^Test may leak 128 kB but left \d+(\.\d+)? (kB|MB) reachable after it returned \(JS heap /,
  )
  // Where the memory still reachable was allocated: the sessions the leaky registry opens. (The sites come
  // from sampling, one sample per 32 KiB on average: which function of the session's, and whether as the top
  // frame or a caller, varies from run to run.)
  expect(message).toMatch(/ \(\S*src\/(session|leaky\/sessions)\.ts:\d+\)\n/)
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
  // The README and the workshop page show this failure: the sessions' holder reads there as it does here.
  const held = sessionsHeldBy(message)
  expect(held, message).toMatch(/registry \(SessionRegistry\) → sessions/)
  for (const page of PAGES_SHOWING_IT) expect(sessionsHeldBy(readFileSync(page, 'utf8')), page).toBe(held)
})

// The workshop page only where the repository is: a learner's scratch copy (learner-loop) has the example alone.
const WORKSHOP_PAGE = fileURLToPath(new URL('../../../docs/src/workshop/orders.md', import.meta.url))
const IN_REPOSITORY = existsSync(fileURLToPath(new URL('../../../docs/package.json', import.meta.url)))
const PAGES_SHOWING_IT = [fileURLToPath(new URL('../README.md', import.meta.url))].concat(
  IN_REPOSITORY ? [WORKSHOP_PAGE] : [],
)

/**
 * The `held by` line of the `DatabaseSession` kind in a failure, less what varies from run to run: the
 * folder files are named from, the index in the registry, and which of the leaky variant's functions the
 * path goes through (each of them holds the registry).
 */
function sessionsHeldBy(text: string): string | undefined {
  return /\n +[\d.]+ [kM]?B +DatabaseSession \([\d,]+ new\)\n +held by ([^\n]+)/
    .exec(text)?.[1]
    ?.replaceAll(/(?<=[ (])[^\s(]*?\b(src|test)\//g, '$1/')
    .replaceAll(/\[\d+\]/g, '[…]')
    .replace(
      /gateway\.variant(?:\.\w+)? → closure (?:get )?\w+ \(src\/leaky\/variant\.ts:\d+\)/,
      'gateway.variant → closure … (src/leaky/variant.ts)',
    )
}
