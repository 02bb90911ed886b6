import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { measure } from '../../src/index.js'
import { figures, record } from '../cases/record.js'
import { liveBytes, MiB, within } from '../cases/weigh.js'
import * as work from '../cases/workloads.js'

/** Measures `run`, which leaves its data in `work.held`, and weighs what it holds afterwards. */
async function measureHeld(run: () => void) {
  work.held.value = undefined
  const before = liveBytes()
  const measurement = await measure(run)
  const truth = liveBytes() - before
  work.held.value = undefined
  return { measurement, truth }
}

describe('peak of data built without intermediate copies is within 5% + 2 MiB of what is held', () => {
  test.for([
    ['array of numbers', 1e6, work.preallocatedArray],
    ['array of numbers', 10e6, work.preallocatedArray],
    ['array of numbers', 100e6, work.preallocatedArray],
    ['typed array', 1e6, work.typedArray],
    ['typed array', 10e6, work.typedArray],
    ['typed array', 100e6, work.typedArray],
    ['1 MB Buffers', 1, work.megabyteBuffers],
    ['1 MB Buffers', 10, work.megabyteBuffers],
    ['1 MB Buffers', 100, work.megabyteBuffers],
    ['small objects', 200_000, work.smallObjects],
    ['small objects', 2_000_000, work.smallObjects],
  ] as const)('%s (%d)', async ([name, size, build]) => {
    const { measurement, truth } = await measureHeld(() => build(size))
    record(`${name} (${size.toLocaleString('en')})`, 'within 5% + 2 MiB of held', figures(measurement), truth)
    within(measurement.peak, truth, 0.05, 2 * MiB)
  })
})

describe('peak of structures that grow by reallocation lies between what is held and 2.5× that', () => {
  test.for([
    ['push', () => work.pushedArray(1_250_000)],
    ['Map', () => work.filledMap(200_000)],
    ['string from a Buffer', () => work.stringFromBuffer(10e6)],
  ] as const)('%s', async ([name, build]) => {
    const { measurement, truth } = await measureHeld(build)
    record(name, 'held ≤ peak ≤ 2.5× held + 2 MiB', figures(measurement), truth)
    expect(measurement.peak).toBeGreaterThanOrEqual(truth * 0.95 - 2 * MiB)
    expect(measurement.peak).toBeLessThanOrEqual(truth * 2.5 + 2 * MiB)
  })
})

describe('a chain of three copies, each made from the one before and dropping it, peaks at two copies', () => {
  // Each copy is made natively, where no constructor hook sees it. V8 collects before some of these copies
  // itself (external memory past its limit); `map` runs the user's callback between allocating and returning,
  // and without a full GC before each step it read three copies (301 MB for 202 MB live).
  const file = join(mkdtempSync(join(tmpdir(), 'memgate-accuracy-')), 'data.bin')
  writeFileSync(file, Buffer.alloc(100e6, 1))
  afterAll(() => rmSync(dirname(file), { recursive: true, force: true }))

  test.for([
    ['Float64Array#map', 100e6, work.mappedDoubles],
    ['Float64Array#toReversed', 100e6, work.reversedDoubles],
    ['Uint8Array#slice', 100e6, work.slicedBytes],
    ['ArrayBuffer#slice', 100e6, work.slicedBuffers],
    ['structuredClone of a Float64Array', 100e6, work.clonedDoubles],
    ['Buffer.concat', 100e6, work.concatenatedBuffers],
    ['fs.readFileSync', 100e6, () => work.rereadFile(file)],
  ] as const)('%s (%d bytes)', async ([name, size, chain]) => {
    const { measurement, truth } = await measureHeld(() => chain(size))
    record(
      `3 × ${name} of ${(size / 1e6).toFixed(0)} MB, keeping the last`,
      'within 5% + 2 MiB of two copies',
      figures(measurement),
      2 * truth,
    )
    within(truth, size, 0.01, MiB)
    within(measurement.peak, 2 * truth, 0.05, 2 * MiB)
  })

  test('Uint8Array#filter: the chain peaks where one step does', async () => {
    // V8's filter gathers the kept values in a list on the heap before it copies them out, so one step's
    // true peak is several times the array; three steps must not read more than one.
    const size = 4 * MiB
    const one = (await measureHeld(() => work.filterBytesOnce(size))).measurement
    const { measurement } = await measureHeld(() => work.filteredBytes(size))
    record(
      `3 × Uint8Array#filter of ${(size / 1e6).toFixed(0)} MB, keeping the last`,
      'within 5% + 2 MiB of one step',
      figures(measurement),
      one.peak,
    )
    within(measurement.peak, one.peak, 0.05, 2 * MiB)
  })
})

describe('code that allocates much and holds little', () => {
  test('a generator over 100,000 BigInt Fibonacci numbers peaks at ≤ 4 MiB and allocates ≥ 40 MB', async () => {
    const measurement = await measure(() => work.walkFibonacci(100_000))
    record(
      'generator over 100,000 BigInt Fibonacci numbers',
      'peak ≤ 4 MiB, allocated ≥ 40 MB',
      figures(measurement),
    )
    expect(measurement.peak).toBeLessThanOrEqual(4 * MiB)
    expect(measurement.allocated).toBeGreaterThanOrEqual(40e6)
  })

  test('repeated JSON round trips peak at ≤ 4 MiB and allocate ≥ 40 MB', async () => {
    const measurement = await measure(() => work.jsonRoundTrips(100))
    record(
      '100 JSON round trips of a 3,000-item document',
      'peak ≤ 4 MiB, allocated ≥ 40 MB',
      figures(measurement),
    )
    expect(measurement.peak).toBeLessThanOrEqual(4 * MiB)
    expect(measurement.allocated).toBeGreaterThanOrEqual(40e6)
  })
})

describe('Buffers made and dropped chunk by chunk peak at ≤ 8 MiB', () => {
  test('streaming 100 MB through stream.pipeline in 64 KB chunks', async () => {
    const measurement = await measure(() => work.streamBuffers(100e6))
    record('100 MB through stream.pipeline in 64 KB Buffers', 'peak ≤ 8 MiB', figures(measurement))
    expect(measurement.peak).toBeLessThanOrEqual(8 * MiB)
  })

  test('allocating and dropping 1,600 × 64 KB Buffers in a loop', async () => {
    const measurement = await measure(() => work.allocateAndDropBuffers(1600))
    record('1,600 × 64 KB Buffers made and dropped in a loop', 'peak ≤ 8 MiB', figures(measurement))
    expect(measurement.peak).toBeLessThanOrEqual(8 * MiB)
  })

  test('consuming a 64 MB HTTP response over loopback', async () => {
    const server = await work.startBodyServer(64 * MiB)
    try {
      let received = 0
      const measurement = await measure(async () => {
        received = await work.consumeBody(server.url)
      })
      expect(received).toBe(64 * MiB)
      record('64 MB HTTP response body over loopback', 'peak ≤ 8 MiB', figures(measurement))
      expect(measurement.peak).toBeLessThanOrEqual(8 * MiB)
    } finally {
      await server.close()
    }
  })
})

describe('spikes built and dropped before the end are counted', () => {
  test('50 MB of objects, across an await, then churn', async () => {
    // Weigh how many objects make 50 MB here, then measure a run that drops them before it ends.
    const before = liveBytes()
    work.held.value = work.buildObjects(500_000)
    const perObject = (liveBytes() - before) / 500_000
    work.held.value = undefined
    const count = Math.round(50e6 / perObject)
    const measurement = await measure(() => work.objectSpike(count))
    record(
      '50 MB of objects dropped before the end',
      'within 5% + 4 MiB of 50 MB',
      figures(measurement),
      50e6,
    )
    within(measurement.peak, 50e6, 0.05, 4 * MiB)
  })

  test('50 MB of Buffers, across an await, then churn', async () => {
    const measurement = await measure(() => work.bufferSpike(50e6))
    record(
      '50 MB of Buffers dropped before the end',
      'within 5% + 4 MiB of 50 MB',
      figures(measurement),
      50e6,
    )
    within(measurement.peak, 50e6, 0.05, 4 * MiB)
  })
})
