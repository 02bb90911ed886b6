import fs, { readFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { Readable } from 'node:stream'
import { describe, expect, test, vi } from 'vitest'
import { MeasurementOverlapError, measure, startTracking } from '../../src/index.js'

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype)
const originals = {
  alloc: Buffer.alloc,
  from: Buffer.from,
  concat: Buffer.concat,
  push: Readable.prototype.push,
  Uint8Array: globalThis.Uint8Array,
  map: TypedArrayPrototype.map,
  slice: TypedArrayPrototype.slice,
  bufferSlice: ArrayBuffer.prototype.slice,
  structuredClone: globalThis.structuredClone,
  readFileSync: fs.readFileSync,
  esmReadFileSync: readFileSync,
}

const MiB = 2 ** 20
const HELD = 8 * MiB

function expectRestored() {
  expect(Buffer.alloc).toBe(originals.alloc)
  expect(Buffer.from).toBe(originals.from)
  expect(Readable.prototype.push).toBe(originals.push)
  expect(globalThis.Uint8Array).toBe(originals.Uint8Array)
  expect(TypedArrayPrototype.map).toBe(originals.map)
  expect(TypedArrayPrototype.slice).toBe(originals.slice)
  expect(ArrayBuffer.prototype.slice).toBe(originals.bufferSlice)
  expect(Buffer.concat).toBe(originals.concat)
  expect(globalThis.structuredClone).toBe(originals.structuredClone)
  expect(fs.readFileSync).toBe(originals.readFileSync)
  expect(readFileSync).toBe(originals.esmReadFileSync)
}

describe('tracking', () => {
  test('two measurements cannot overlap, and the first still stops cleanly', async () => {
    const first = await startTracking()
    await expect(startTracking()).rejects.toThrow(MeasurementOverlapError)
    await expect(measure(() => 1)).rejects.toThrow('A memgate measurement is already running on this thread')
    // What the first span allocated and still holds is in its figures: the refused starts changed nothing.
    const held = Buffer.alloc(HELD, 1)
    const measurement = await first.stop()
    expect(held.length).toBe(HELD)
    // Within 1 MiB either way: other external memory of the worker may be freed or made meanwhile.
    expect(Math.abs(measurement.leakedExternal - HELD)).toBeLessThan(MiB)
    expect(Math.abs(measurement.peakExternal - HELD)).toBeLessThan(MiB)
    await expect(measure(() => 1)).resolves.toMatchObject({ leaked: expect.any(Number) })
  })

  test('stopping a tracking twice is refused', async () => {
    const tracking = await startTracking()
    await tracking.stop()
    await expect(tracking.stop()).rejects.toThrow('memgate: stop() called twice on one tracking')
  })

  test('restores every hook and stops the profiler when the measured code throws', async () => {
    await expect(
      measure(
        () => {
          Buffer.alloc(1024)
          throw new Error('boom')
        },
        { pacing: { typedArrays: true } },
      ),
    ).rejects.toThrow('boom')
    expectRestored()
    // The sampling profiler was stopped: a new session can start and stop its own.
    const session = new Session()
    session.connect()
    await session.post('HeapProfiler.startSampling')
    await session.post('HeapProfiler.stopSampling')
    session.disconnect()
  })

  test('hooks are in place only while measuring, typed-array proxies only when asked', async () => {
    let during: unknown[] = []
    await measure(() => {
      during = [Buffer.alloc === originals.alloc, globalThis.Uint8Array === originals.Uint8Array]
    })
    expect(during).toEqual([false, true])
    await measure(() => {
      const doubles = new Float64Array(4)
      during = [
        TypedArrayPrototype.map === originals.map,
        // The ES module binding is hooked too: `import { readFileSync }` is how most code reads a file.
        readFileSync === originals.esmReadFileSync,
        doubles.map((x) => x + 1).constructor === Float64Array,
        doubles.slice(1) instanceof Float64Array,
        structuredClone(doubles).constructor === Float64Array,
        Object.getPrototypeOf(new Uint8Array(2).buffer.slice(1)) === ArrayBuffer.prototype,
        doubles.map.name,
        doubles.map.length,
      ]
    })
    expect(during).toEqual([false, false, true, true, true, true, 'map', 1])
    await measure(
      () => {
        during = [
          globalThis.Uint8Array === originals.Uint8Array,
          new Uint8Array(8) instanceof originals.Uint8Array,
        ]
      },
      { pacing: { typedArrays: true } },
    )
    expect(during).toEqual([false, true])
    expectRestored()
  })

  test('async work across awaits is measured to the end of the promise', async () => {
    let held: Buffer[] = []
    const measurement = await measure(async () => {
      for (let i = 0; i < 10; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1))
        held.push(Buffer.alloc(1e6, 1))
      }
    })
    expect(measurement.peakExternal).toBeGreaterThanOrEqual(10e6)
    expect(measurement.leakedExternal).toBeGreaterThanOrEqual(10e6)
    expect(measurement.timeline.length).toBeGreaterThanOrEqual(2)
    held = []
    expect(held).toHaveLength(0)
  })

  test('memory that work queued before the measurement frees is not taken off its leak', async () => {
    // Queued by earlier code (a test's I/O callbacks, a diagnosis's clean-up): if it ran inside the span, the
    // ~10 MB it frees would be subtracted from the ~2 MB the span keeps.
    let queued: object[] | undefined = Array.from({ length: 300_000 }, (_, i) => ({ i }))
    setImmediate(() => {
      queued = undefined
    })
    let kept: object[] = []
    const measurement = await measure(() => {
      kept = Array.from({ length: 60_000 }, (_, i) => ({ i }))
    })
    expect(queued).toBeUndefined()
    expect(kept).toHaveLength(60_000)
    // 60,000 objects of one small field with their array: at least 16 B each.
    expect(measurement.leakedHeap).toBeGreaterThan(60_000 * 16)
    kept = []
  })

  test('reports the GCs of the span and whether the young generation is pinned', async () => {
    let last: unknown
    const measurement = await measure(() => {
      // Each object escapes the loop, so no optimisation can keep it off the heap.
      for (let i = 0; i < 300_000; i++) last = { i }
    })
    expect(last).toEqual({ i: 299_999 })
    expect(measurement.gc.count).toBeGreaterThan(0)
    expect(measurement.gc.durationMs).toBeGreaterThan(0)
    // This project runs its tests with YOUNG_GENERATION_FLAGS (see vitest.config.ts).
    expect(measurement.youngGenerationPinned).toBe(true)
    expect(measurement.heapPacing).toBe(true)
  })

  test('keeps real time when the measured code fakes timers', async () => {
    const realNow = performance.now.bind(performance)
    let fakedClockMoved = true
    const measurement = await measure(async () => {
      vi.useFakeTimers({ toFake: ['performance', 'setInterval', 'clearInterval', 'setTimeout', 'Date'] })
      const faked = performance.now()
      const until = realNow() + 5
      while (realNow() < until) {
        // Real time goes on while the faked clock stands still.
      }
      fakedClockMoved = performance.now() !== faked
      await new Promise((resolve) => setImmediate(resolve))
    })
    vi.useRealTimers()
    expect(fakedClockMoved).toBe(false)
    expect(measurement.durationMs).toBeGreaterThan(0)
    expect(measurement.timeline.at(-1)?.t).toBeGreaterThan(0)
  })
})
