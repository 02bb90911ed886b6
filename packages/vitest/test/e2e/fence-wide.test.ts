import { beforeAll, expect, test } from 'vitest'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

// memgate({ limit: '200 MB' }) on 42 tests: 39 short ones, one over the fence, two with limits of their own.
let run: FixtureRun
beforeAll(async () => {
  run = await runFixture('fence-wide')
})

test('a fence on many tests fails exactly the one over it', () => {
  const failed = run.tests.filter((t) => t.state !== 'passed')
  expect(failed.map((t) => t.name)).toEqual(['holds 250 MB'])
  const [error] = failed[0]?.errors ?? []
  expect(error?.name).toBe('MemoryLimitError')
  expect(error?.message).toMatch(/^Test was limited to 200 MB of peak memory but reached 25\d(?:\.\d)? MB/)
  // Its first run read the whole heap, over the fence: it ran again, in full, for the verdict and the sites.
  expect(error?.message).toMatch(
    /The body ran twice: its first run, read the thread's whole heap and external memory at [\d.]+ MB, not clearly within the limit/,
  )
})

test('the tests far within it pass on one run, nearly all on the ceiling alone, with no figure of their own', () => {
  const measured = { ceiling: 0, 'peak-only': 0 }
  for (let i = 0; i < 39; i++) {
    const short = testNamed(run, `short test ${i}`)
    expect(short.meta.bodyRuns).toBe(1)
    const result = short.meta.memgateResult
    if (result?.measured === 'ceiling') {
      measured.ceiling++
      expect(result).toEqual({
        measured: 'ceiling',
        ceiling: expect.any(Number),
        limits: { peak: 200_000_000 },
      })
      // The worker's whole heap and external memory: more than nothing, far less than the fence.
      expect(result.ceiling).toBeGreaterThan(1_000_000)
      expect(result.ceiling).toBeLessThan(100_000_000)
    } else {
      // No GC runs while tests pass on their ceilings, so garbage piles up between them; once the heap is over a
      // half of the fence, a test pays the one GC of a peak-only reading, which clears it for those after.
      measured['peak-only']++
      expect(result?.measured).toBe('peak-only')
    }
  }
  expect(measured.ceiling).toBeGreaterThanOrEqual(30)
})

test('an upper-bound pass and a near-limit test that needs precision each get the right verdict', () => {
  const well = testNamed(run, 'well within its own limit')
  expect(well).toMatchObject({ state: 'passed', errors: [] })
  expect(well.meta.bodyRuns).toBe(1)
  expect(well.meta.memgateResult?.measured).toBe('ceiling')
  expect(well.meta.memgateResult?.ceiling).toBeGreaterThan(20_000_000)
  const near = testNamed(run, 'near its own limit')
  expect(near).toMatchObject({ state: 'passed', errors: [] })
  expect(near.meta.bodyRuns).toBe(2)
  // Measured in full on its second run: every figure, the peak within its 100 MB.
  expect(near.meta.memgateResult?.measured).toBeUndefined()
  expect(near.meta.memgateResult?.peak).toBeGreaterThan(99_000_000)
  expect(near.meta.memgateResult?.peak).toBeLessThan(100_000_000)
  expect(near.meta.memgateResult?.allocated).toEqual(expect.any(Number))
})
