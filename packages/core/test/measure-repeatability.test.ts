import { afterAll, beforeAll, expect, test } from 'vitest'
import { measure } from '../src/index.js'
import { MiB } from './cases/weigh.js'
import * as work from './cases/workloads.js'

let server: Awaited<ReturnType<typeof work.startBodyServer>>
beforeAll(async () => {
  server = await work.startBodyServer(64 * MiB)
})
afterAll(() => server.close())

const RUNS = 20

test.for([
  ['array of numbers, 10 MB', () => work.preallocatedArray(10e6)],
  ['array of numbers, 100 MB', () => work.preallocatedArray(100e6)],
  ['typed array, 100 MB', () => work.typedArray(100e6)],
  ['1 MB Buffers × 100', () => work.megabyteBuffers(100)],
  ['200,000 small objects', () => work.smallObjects(200_000)],
  ['push', () => work.pushedArray(1_250_000)],
  ['Map', () => work.filledMap(200_000)],
  ['string from a Buffer', () => work.stringFromBuffer(10e6)],
  ['Fibonacci generator', () => work.walkFibonacci(100_000)],
  ['JSON round trips', () => work.jsonRoundTrips(100)],
  ['stream.pipeline, 100 MB', () => work.streamBuffers(100e6)],
  ['Buffers in a loop', () => work.allocateAndDropBuffers(1600)],
  ['HTTP body, 64 MB', () => work.consumeBody(server.url)],
  ['spike of Buffers', () => work.bufferSpike(50e6)],
] as const)('%s: 20 peaks spread by ≤ 5% + 512 KiB', async ([, run]) => {
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
