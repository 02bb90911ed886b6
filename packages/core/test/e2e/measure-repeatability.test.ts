import { afterAll, beforeAll, expect, test } from 'vitest'
import { measure } from '../../src/index.js'
import { MiB } from '../cases/weigh.js'
import * as work from '../cases/workloads.js'

let server: Awaited<ReturnType<typeof work.startBodyServer>>
beforeAll(async () => {
  server = await work.startBodyServer(64 * MiB)
})
afterAll(() => server.close())

const RUNS = 20

// Structures that grow by reallocation (push, Map, a string from a Buffer) are left out: whether a GC falls
// between two reallocations decides if a reading also holds the store before last (1 run in 20 of a push
// loop read 22.0 MB instead of 17.4 MB), so their peak varies by one dead store — within the accuracy test's
// bound (held ≤ peak ≤ 2.5× held), not within this one.

/** Peaks of 20 measured runs of `run`, after one unmeasured run. */
async function peaksOf(run: () => unknown): Promise<number[]> {
  // One run first, not measured: the HTTP body's first request opens undici's connection and compiles its
  // code inside the span (on Node 24 the first of 20 read 0.8 MB above the rest); what is compared here is the
  // same work measured again and again.
  await run()
  work.held.value = undefined
  const peaks: number[] = []
  for (let i = 0; i < RUNS; i++) {
    peaks.push((await measure(run)).peak)
    work.held.value = undefined
  }
  return peaks
}

const listed = (peaks: number[]) => `peaks (MB): ${peaks.map((p) => (p / 1e6).toFixed(2)).join(' ')}`

// Data that is simply held: every run's peak is the same data, so all 20 are within the band of each other.
test.for([
  ['array of numbers, 10 MB', () => work.preallocatedArray(10e6)],
  ['array of numbers, 100 MB', () => work.preallocatedArray(100e6)],
  ['typed array, 100 MB', () => work.typedArray(100e6)],
  ['1 MB Buffers × 100', () => work.megabyteBuffers(100)],
  ['200,000 small objects', () => work.smallObjects(200_000)],
  ['spike of Buffers', () => work.bufferSpike(50e6)],
] as const)('%s: 20 peaks spread by ≤ 5% + 512 KiB', async ([, run]) => {
  const peaks = await peaksOf(run)
  const spread = Math.max(...peaks) - Math.min(...peaks)
  expect(spread, listed(peaks)).toBeLessThanOrEqual(0.05 * Math.max(...peaks) + 512 * 1024)
})

// The peak of code that makes garbage is garbage not yet collected: it depends on when the pacer's helper
// thread gets to run, and for Buffers also on when V8's background threads free dead ones' memory. A run during
// which other processes held the cores reads high (seen: 3.5 and 3.6 MB among 2.85 MB peaks of JSON round
// trips; stream.pipeline's first of 20 at 4.13 MB among 3.15–3.5 MB, Node 24 in CI; the accuracy test's
// bounds still held). So the claim here is about the typical run: at least 18 of 20 peaks within
// 5% + 512 KiB of their median.
test.for([
  ['Fibonacci generator', () => work.walkFibonacci(100_000)],
  ['stream.pipeline, 100 MB', () => work.streamBuffers(100e6)],
  ['Buffers in a loop', () => work.allocateAndDropBuffers(1600)],
  ['HTTP body, 64 MB', () => work.consumeBody(server.url)],
  ['JSON round trips', () => work.jsonRoundTrips(100)],
] as const)('%s: 18 of 20 peaks within 5% + 512 KiB of the median', async ([, run]) => {
  const peaks = await peaksOf(run)
  const median = [...peaks].sort((a, b) => a - b)[RUNS / 2] ?? 0
  const near = peaks.filter((peak) => Math.abs(peak - median) <= 0.05 * median + 512 * 1024)
  expect(near.length, listed(peaks)).toBeGreaterThanOrEqual(RUNS - 2)
})
