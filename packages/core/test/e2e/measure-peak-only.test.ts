import { GCProfiler } from 'node:v8'
import { expect, test } from 'vitest'
import { measure, startPeakTracking, startTracking } from '../../src/index.js'

/** Full (mark-compact) GCs while `fn` runs. */
async function fullGcsDuring(fn: () => Promise<unknown>): Promise<number> {
  const profiler = new GCProfiler()
  profiler.start()
  await fn()
  const entries = profiler.stop()?.statistics ?? []
  return entries.filter((entry) => entry.gcType !== 'Scavenge' && entry.gcType !== 'MinorMarkSweep').length
}

test('a peak-only measurement forces one full GC, a full one at least three', async () => {
  // The first measurement of a thread warms memgate up (an empty round of its own): not counted here.
  await measure(() => undefined)
  const peakOnly = await fullGcsDuring(async () => (await startPeakTracking()).stop())
  const full = await fullGcsDuring(async () => (await startTracking()).stop())
  // The baseline's GC; the full one adds a second for the baseline, the end reading's and the profiler's.
  expect(peakOnly).toBe(1)
  expect(full).toBeGreaterThanOrEqual(3)
})

test('its peak reads what a full measurement reads, heap and external', async () => {
  const body = () => {
    const samples = new Float64Array(2_500_000).fill(0.5) // 20 MB external
    const rows = Array.from({ length: 100 }, (_, i) => new Array(12_500).fill(i + 0.5)) // ~10 MB heap
    return samples.length + rows.length
  }
  const tracking = await startPeakTracking()
  body()
  const peakOnly = await tracking.stop()
  const full = await measure(body)
  expect(peakOnly.peakExternal).toBeGreaterThan(19_500_000)
  expect(peakOnly.peakHeap).toBeGreaterThan(9_500_000)
  // Both are high-water marks of the same readings; the baseline differs by one GC (a few hundred kB at most).
  expect(Math.abs(peakOnly.peak - full.peak)).toBeLessThan(3_000_000)
  expect(peakOnly).not.toHaveProperty('leaked')
  expect(peakOnly).not.toHaveProperty('profile')
})

test('a peak-only measurement cannot overlap another', async () => {
  const tracking = await startPeakTracking()
  await expect(startTracking()).rejects.toMatchObject({ code: 'MEMGATE_MEASUREMENT_OVERLAP' })
  await tracking.stop()
})

test('typed arrays an earlier span dropped do not read as held at the start', async () => {
  // V8 frees a dead ArrayBuffer's memory on a background thread after a full GC: a baseline read too soon
  // counts them, and the peak reads as much low.
  const rows = (count: number) => Array.from({ length: count }, (_, i) => new Float64Array(125_000).fill(i))
  for (let round = 0; round < 3; round++) {
    expect(rows(2)).toHaveLength(2)
    const tracking = await startPeakTracking()
    expect(rows(4)).toHaveLength(4)
    const { peak } = await tracking.stop()
    // 4 MB held at once. Dropped arrays counted at the start would read 1 MB lower for each. A peak-only
    // baseline is read after one full GC, and a reading after one full GC now and then comes out 200–480 kB
    // high (core README, "leaked"), the peak as much low: 3.73 MB was seen on Node 24 under load. The plugin
    // judges a peak-only reading only with 1 MiB to spare (SCREEN_MARGIN), a full measurement otherwise.
    expect(peak).toBeGreaterThan(3_500_000)
  }
})

test('with baseline: false and no pacing no GC is forced, and its ceiling bounds the peak from above', async () => {
  await measure(() => undefined)
  const body = () => new Float64Array(2_500_000).fill(0.5).length // 20 MB external
  const tracking = await startPeakTracking({ baseline: false, pacing: false })
  body()
  const { ceiling: bound, gc } = await tracking.stop()
  // None by memgate (V8 may run one of its own for the 20 MB: Node 22 did on CI).
  expect(gc.forced).toBe(0)
  const full = await measure(body)
  expect(bound).toBeGreaterThanOrEqual(full.peak)
  // The whole heap and external memory at their highest: the body's 20 MB on top of everything held before.
  const { heapUsed } = process.memoryUsage()
  expect(bound).toBeGreaterThan(20_000_000 + 0.5 * heapUsed)
})
