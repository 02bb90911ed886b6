import { join } from 'node:path'
import { formatSize } from '@memgate/core'
import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

// One run of test/fixtures/peak for the verdicts and the result in the meta. `runFixture` reads
// `TestCase.meta()`, which is what reporters see (also after a blob merge).
let run: FixtureRun
beforeAll(async () => {
  run = await runFixture('peak')
})

describe('limitMemory', () => {
  test('passes a test that stays within its limit', () => {
    expect(testNamed(run, 'within its limit')).toMatchObject({ state: 'passed', errors: [] })
  })

  test('fails a test over its limit, saying by how much and where', () => {
    const { state, errors, meta } = testNamed(run, 'over its limit')
    expect(state).toBe('failed')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ name: 'MemoryLimitError', code: 'MEMGATE_MEMORY_LIMIT' })
    // The peak reads garbage not yet collected too, so it lies between what is held and what was allocated.
    const { peak = 0, peakHeap = 0, peakExternal = 0 } = meta.memgateResult ?? {}
    expect(peak).toBeGreaterThan(29_000_000)
    const message = errors[0]?.message ?? ''
    expect(message.split('\n')[0]).toBe(
      `Test was limited to 10 MB of peak memory but reached ${formatSize(peak)} ` +
        `(JS heap ${formatSize(peakHeap)}, external ${formatSize(peakExternal)})`,
    )
    expect(message).toMatch(
      /\n\nTop allocation sites \(bytes allocated, freed or not\):\n +[\d.]+ MB {2}holdThirtyMegabytes \(\S*peak\.test\.ts:\d+\)\n/,
    )
    expect(message).toMatch(/called from \(anonymous\) \(\S*peak\.test\.ts:\d+\)/)
  })

  test('names where external memory was allocated: typed arrays and Buffers', () => {
    // Buffers are sited by Buffer.alloc's hook, exactly. No hook sees `new Float64Array(n)`: it is charged to the
    // code the heap-pacing thread interrupted when it saw external memory grow, `sampleSignal` when that thread
    // gets the CPU within its loop (~40 ms), else the test body that called it.
    for (const [name, site] of [
      ['over its limit in a typed array', '(?:sampleSignal|\\(anonymous\\))'],
      ['over its limit in Buffers', 'readChunks'],
    ] as const) {
      const { state, errors, meta } = testNamed(run, name)
      expect(state).toBe('failed')
      expect(meta.memgateResult?.peakExternal).toBeGreaterThan(29_000_000)
      // The top site is the function that made it, most of its bytes external memory.
      expect(errors[0]?.message).toMatch(
        new RegExp(
          `\\n\\nTop allocation sites \\(bytes allocated, freed or not\\):\\n +[23]\\d(?:\\.\\d)? MB {2}${site} \\(\\S*peak\\.test\\.ts:\\d+\\) {2}\\((?:external memory|[\\d.]+ MB of it external memory)\\)\\n`,
        ),
      )
    }
  })

  test('pays for a full measurement only where the verdict needs it', () => {
    // Well within: one run, peak-only. Near the limit (within 1 MB): run again and measured in full, and it
    // passes on that. Over: run again in full, and the failure says why the body ran twice.
    const well = testNamed(run, 'well within its limit')
    expect(well).toMatchObject({ state: 'passed', errors: [] })
    expect(well.meta.bodyRuns).toBe(1)
    expect(well.meta.memgateResult?.measured).toBe('peak-only')
    const near = testNamed(run, 'near its limit')
    expect(near).toMatchObject({ state: 'passed', errors: [] })
    expect(near.meta.bodyRuns).toBe(2)
    expect(near.meta.memgateResult?.measured).toBeUndefined()
    expect(near.meta.memgateResult?.allocated).toEqual(expect.any(Number))
    expect(near.meta.memgateResult?.peakExternal).toBeGreaterThan(9_100_000)
    const over = testNamed(run, 'over its limit, counted')
    expect(over.state).toBe('failed')
    expect(over.meta.bodyRuns).toBe(2)
    expect(over.errors[0]?.message).toMatch(
      /\n\nThe body ran twice: its first run, measured without the sampling profiler, read a peak of [\d.]+ MB, not clearly within the limit, so it was measured again in full; the figures and sites above are from that second run\.$/,
    )
  })

  test('fails a body whose first run is over the limit though its second, for the sites, reads within it', () => {
    const cached = testNamed(run, 'fills a cache on its first run')
    expect(cached.state).toBe('failed')
    expect(cached.meta.bodyRuns).toBe(2)
    // The figures judged and reported are the first run's: 20 MB held in the cache.
    const { peak = 0, peakHeap = 0 } = cached.meta.memgateResult ?? {}
    expect(peak).toBeGreaterThan(19_000_000)
    expect(peakHeap).toBeGreaterThan(19_000_000)
    const message = cached.errors[0]?.message ?? ''
    expect(message.split('\n')[0]).toMatch(
      /^Test was limited to 10 MB of peak memory but reached (19|2\d)(\.\d)? MB /,
    )
    const second = /its second run read a peak of ([\d.]+) (kB|MB), within it\./.exec(message)
    expect(second, message).not.toBeNull()
    // The second run found the cache full: well under the limit.
    expect(Number(second?.[1]) * (second?.[2] === 'MB' ? 1e6 : 1e3)).toBeLessThan(5e6)
    expect(message).toContain(', within it. The first run is the one your code does')
    expect(message).toMatch(
      /\n\nThe body ran twice: its first run, measured without the sampling profiler, read a peak of (19|2\d)(\.\d)? MB, over the limit, so it was measured again in full for the sites; .* the peak above is the first run’s, the sites are the second’s\.$/,
    )
  })

  test('leaves tests without a limit alone', () => {
    expect(testNamed(run, 'without a limit')).toMatchObject({ state: 'passed', meta: {} })
  })

  test('measures each case of test.each on its own', () => {
    expect(testNamed(run, 'holds 1 MB').state).toBe('passed')
    expect(testNamed(run, 'holds 30 MB').state).toBe('failed')
  })
})

describe('the result in the test meta', () => {
  test('holds plain byte counts and the limits: the peak alone for a pass on a peak-only measurement', () => {
    for (const name of ['within its limit', 'over its limit']) {
      const { meta } = testNamed(run, name)
      expect(meta.memgate).toEqual({ limits: { peak: 10_000_000 } })
    }
    // Well within its limit: passed on the peak-only measurement, so there is nothing else to report.
    expect(testNamed(run, 'within its limit').meta.memgateResult).toEqual({
      peak: expect.any(Number),
      peakHeap: expect.any(Number),
      peakExternal: expect.any(Number),
      measured: 'peak-only',
      limits: { peak: 10_000_000 },
    })
    // Over it: measured again in full, for the verdict and the sites.
    const { topSite, profile, ...figures } = testNamed(run, 'over its limit').meta.memgateResult ?? {}
    expect(figures).toEqual({
      peak: expect.any(Number),
      peakHeap: expect.any(Number),
      peakExternal: expect.any(Number),
      allocated: expect.any(Number),
      leaked: expect.any(Number),
      leakedHeap: expect.any(Number),
      leakedExternal: expect.any(Number),
      limits: { peak: 10_000_000 },
      profileKeeps: 'allocated',
    })
    // Where the failing test's heap profile went, from the project root; the passing test wrote none.
    expect(testNamed(run, 'within its limit').meta.memgateResult?.profile).toBeUndefined()
    expect(testNamed(run, 'over its limit').meta.memgateResult?.profile).toBe(
      join('.memgate', 'peak.test.ts', 'over_its_limit.heapprofile'),
    )
    expect(testNamed(run, 'within its limit').meta.memgateResult?.peak).toBeLessThan(10_000_000)
    expect(testNamed(run, 'over its limit').meta.memgateResult?.peak).toBeGreaterThan(29_000_000)
  })

  test('names the site that allocated most, in the source file', () => {
    const { topSite } = testNamed(run, 'over its limit').meta.memgateResult ?? {}
    expect(topSite).toEqual({
      functionName: 'holdThirtyMegabytes',
      file: expect.stringMatching(/[/\\]fixtures[/\\]peak[/\\]peak\.test\.ts$/),
      line: 4,
      bytes: expect.any(Number),
    })
    expect(topSite?.bytes).toBeGreaterThan(20_000_000)
  })

  test('is kept apart for cases that share one options object', () => {
    const small = testNamed(run, 'holds 1 MB').meta
    const large = testNamed(run, 'holds 30 MB').meta
    expect(small.memgateResult?.peak).toBeLessThan(10_000_000)
    expect(large.memgateResult?.peak).toBeGreaterThan(29_000_000)
    expect(small.memgate).toEqual({ limits: { peak: 10_000_000 } })
  })

  test('is absent for tests without limits', () => {
    expect(testNamed(run, 'without a limit').meta).toEqual({})
  })
})

declare module 'vitest' {
  interface TaskMeta {
    /** How many times the fixture's body ran for the test (set by the fixture). */
    bodyRuns?: number
  }
}
