import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

// memgate({ limit: '5 MB', leaks: '1 MB', sites: 2, frames: 1 })
let run: FixtureRun
beforeAll(async () => {
  run = await runFixture('fence')
})

describe('the default limits of the plugin (the memory fence)', () => {
  test('hold a test that sets no limit', () => {
    const within = testNamed(run, 'no limit of its own, within the fence')
    expect(within.state).toBe('passed')
    expect(within.meta.memgateResult?.limits).toEqual({ peak: 5_000_000, leaks: 1_000_000 })
    const { state, errors } = testNamed(run, 'no limit of its own, over the fence')
    expect(state).toBe('failed')
    expect(errors.map((error) => error.name)).toEqual(['MemoryLimitError'])
    expect(errors[0]?.message).toMatch(/^Test was limited to 5 MB of peak memory but reached [\d.]+ MB/)
  })

  test("give way to a test's own limit, kind by kind", () => {
    const peak = testNamed(run, 'raises the peak limit for itself')
    expect(peak.state).toBe('passed')
    expect(peak.meta.memgateResult?.limits).toEqual({ peak: 80_000_000, leaks: 1_000_000 })
    const leaks = testNamed(run, 'raises the leak limit for itself')
    expect(leaks.state).toBe('passed')
    expect(leaks.meta.memgateResult?.limits).toEqual({ peak: 5_000_000, leaks: 20_000_000 })
  })

  test('are turned off, kind by kind, by limitMemory(false) and limitLeaks(false)', () => {
    const noPeak = testNamed(run, 'turns the peak limit off for itself')
    expect(noPeak.errors).toEqual([])
    expect(noPeak.meta.memgateResult?.limits).toEqual({ leaks: 1_000_000 })
    expect(noPeak.meta.memgateResult?.peak).toBeGreaterThan(29_000_000)
    const noLeaks = testNamed(run, 'turns the leak limit off for itself')
    expect(noLeaks.errors).toEqual([])
    expect(noLeaks.meta.memgateResult?.limits).toEqual({ peak: 5_000_000 })
    // A peak limit alone, well within it: passed on a peak-only measurement, with no leaked figure.
    expect(noLeaks.meta.memgateResult?.measured).toBe('peak-only')
    expect(noLeaks.meta.memgateResult?.peak).toBeGreaterThan(2_900_000)
    expect(noLeaks.meta.memgateResult?.leaked).toBeUndefined()
    // Nothing left to check: the test runs as if memgate were not there.
    const neither = testNamed(run, 'turns both off')
    expect(neither).toMatchObject({ state: 'passed', errors: [] })
    expect(neither.meta.memgateResult).toBeUndefined()
  })

  test("a test's limitMemory(false) wins over its suite's limit", () => {
    const inherited = testNamed(run, 'a suite with its own peak limit > inherits it')
    expect(inherited.errors.map((error) => error.name)).toEqual(['MemoryLimitError'])
    const off = testNamed(run, 'a suite with its own peak limit > turns it off for one test')
    expect(off.errors).toEqual([])
    expect(off.meta.memgateResult?.limits).toEqual({ leaks: 1_000_000 })
  })

  test('include a default leak limit', () => {
    const { errors } = testNamed(run, 'leaks past the default leak limit')
    expect(errors.map((error) => error.name)).toEqual(['LeakLimitError'])
    expect(errors[0]?.message).toMatch(/^Test may leak 1 MB but left [\d.]+ MB reachable/)
  })
})

describe('the sites and frames options', () => {
  test('cap the sites a failure shows and the frames of each', () => {
    const message = testNamed(run, 'no limit of its own, over the fence').errors[0]?.message ?? ''
    const sites = message.split('\n\nTop allocation sites (bytes allocated, freed or not):\n')[1] ?? ''
    const lines = sites.split('\n')
    expect(lines.length).toBeGreaterThanOrEqual(1)
    expect(lines.length).toBeLessThanOrEqual(2)
    expect(lines[0]).toMatch(/^ +[\d.]+ MB {2}holdRows \(\S*fence\.test\.ts:7\)$/)
    expect(sites).not.toContain('called from')
  })
})
