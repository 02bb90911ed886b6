import { describe, expect, test } from 'vitest'
import { runFixture, testNamed } from './run-fixture.js'

// How each pool's young generation is pinned: a V8 flag for child processes, resourceLimits for the threads
// pool (memgate runs it as its own pool, 'memgate-threads'), and for vmThreads, whose threads Vitest starts
// itself, the V8 flag set in the main process before they start.
describe.for([
  { pool: 'forks', pinned: 'execArgv' },
  { pool: 'vmForks', pinned: 'execArgv' },
  { pool: 'threads', pinned: 'resourceLimits' },
  { pool: 'vmThreads', pinned: 'flag' },
])('the $pool pool', ({ pool, pinned }) => {
  test(`enforces limits, young generation pinned: ${pinned}`, async () => {
    const run = await runFixture('pools', { pool })
    expect(testNamed(run, 'within its limit').errors).toEqual([])
    expect(testNamed(run, 'over its limit').errors[0]?.name).toBe('MemoryLimitError')
    const { execArgv, maxYoungGenerationSizeMb, newSpaceSizes, youngGenerationPinned } = testNamed(
      run,
      'reports its execArgv',
    ).meta as {
      execArgv?: string[]
      maxYoungGenerationSizeMb?: number
      newSpaceSizes?: number[]
      youngGenerationPinned?: boolean
    }
    expect(execArgv?.includes('--max-semi-space-size=1')).toBe(pinned === 'execArgv')
    expect(maxYoungGenerationSizeMb === 3).toBe(pinned === 'resourceLimits')
    // Whatever pinned it: garbage made with survivors grows V8's default new space to 32 MB and keeps it
    // there, a pinned one stays at two 1 MB semi-spaces (3 MB of young generation with resourceLimits). The
    // median of 40 looks, not the most: with both cores busy, Node 24's V8 was seen to run a pinned new space
    // past its cap for a look or two (8 MB, in threads and vmThreads alike) before a scavenge brought it back.
    expect(newSpaceSizes).toHaveLength(40)
    expect(medianOf(newSpaceSizes ?? [])).toBeLessThanOrEqual(2 * 2 ** 20)
    expect(youngGenerationPinned).toBe(true)
    expect(testNamed(run, 'walks a generator, holding nothing').errors).toEqual([])
    expect(testNamed(run, 'maps 100 MB of doubles three times, keeping the last').errors).toEqual([])
  })

  test.runIf(pool === 'threads')('can be left as Vitest starts it', async () => {
    const run = await runFixture('pools', { pool, config: 'vitest.unpinned.config.ts' })
    expect(testNamed(run, 'over its limit').errors[0]?.name).toBe('MemoryLimitError')
    const { maxYoungGenerationSizeMb, newSpaceSizes = [] } = testNamed(run, 'reports its execArgv').meta as {
      maxYoungGenerationSizeMb?: number
      newSpaceSizes?: number[]
    }
    expect(maxYoungGenerationSizeMb).not.toBe(3)
    // The same look as above tells an unpinned new space: it grew, and stayed grown.
    expect(medianOf(newSpaceSizes)).toBeGreaterThan(4 * 2 ** 20)
  })
})

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
