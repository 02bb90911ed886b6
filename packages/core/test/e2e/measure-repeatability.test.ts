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

test.for([
  ['array of numbers, 10 MB', () => work.preallocatedArray(10e6)],
  ['array of numbers, 100 MB', () => work.preallocatedArray(100e6)],
  ['typed array, 100 MB', () => work.typedArray(100e6)],
  ['1 MB Buffers × 100', () => work.megabyteBuffers(100)],
  ['200,000 small objects', () => work.smallObjects(200_000)],
  ['Fibonacci generator', () => work.walkFibonacci(100_000)],
  ['stream.pipeline, 100 MB', () => work.streamBuffers(100e6)],
  ['Buffers in a loop', () => work.allocateAndDropBuffers(1600)],
  ['HTTP body, 64 MB', () => work.consumeBody(server.url)],
  ['spike of Buffers', () => work.bufferSpike(50e6)],
] as const)('%s: 20 peaks spread by ≤ 5% + 512 KiB', async ([, run]) => {
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
  const spread = Math.max(...peaks) - Math.min(...peaks)
  expect(spread, `peaks (MB): ${peaks.map((p) => (p / 1e6).toFixed(2)).join(' ')}`).toBeLessThanOrEqual(
    0.05 * Math.max(...peaks) + 512 * 1024,
  )
})

// The peak of JSON round trips is garbage that heap pacing collects: it depends on when the pacer's helper
// thread gets to run, and a run during which another process held the cores reads high (seen: 3.5 and 3.6 MB
// among 2.85 MB peaks on a loaded machine; the accuracy test's bound, 4 MiB, still held). So the claim here is
// about the typical run: at least 18 of 20 peaks within 5% + 512 KiB of their median.
test('JSON round trips: 18 of 20 peaks within 5% + 512 KiB of the median', async () => {
  const peaks: number[] = []
  for (let i = 0; i < RUNS; i++) peaks.push((await measure(() => work.jsonRoundTrips(100))).peak)
  const median = [...peaks].sort((a, b) => a - b)[RUNS / 2] ?? 0
  const near = peaks.filter((peak) => Math.abs(peak - median) <= 0.05 * median + 512 * 1024)
  expect(
    near.length,
    `peaks (MB): ${peaks.map((p) => (p / 1e6).toFixed(2)).join(' ')}`,
  ).toBeGreaterThanOrEqual(RUNS - 2)
})
