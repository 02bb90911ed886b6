import { now, startInterval, stopInterval } from '../v8/clock.js'
import type { TimelinePoint } from './measurement.js'
import { type MemoryReading, readMemory } from './memory.js'

/** A running timeline (see {@link createTimeline}). */
export type Timeline = ReturnType<typeof createTimeline>

const MAX_POINTS = 2048
const FIELDS = 4

/**
 * Records memory over time: a point each `interval` ms while the event loop turns, plus any reading handed
 * to `add` (the helper thread's ticks, the end). Points live in one typed array allocated before tracking
 * starts, so recording them does not read as memory the measured code leaked.
 */
export function createTimeline(interval = 10) {
  const data = new Float64Array(MAX_POINTS * FIELDS)
  let count = 0
  let origin: MemoryReading = { heap: 0, external: 0 }
  let startedAt = 0
  let timer: NodeJS.Timeout | undefined

  const add = (reading: MemoryReading) => {
    if (count === MAX_POINTS) count = thin(data, count)
    const at = count * FIELDS
    data[at] = now() - startedAt
    data[at + 1] = reading.heap - origin.heap
    data[at + 2] = reading.external - origin.external
    data[at + 3] = process.memoryUsage.rss()
    count++
  }

  return {
    add,
    start(start: MemoryReading, at: number) {
      origin = start
      startedAt = at
      add(start)
      timer = startInterval(() => add(readMemory()), interval)
      timer.unref()
    },
    stop() {
      stopInterval(timer)
    },
    points(): TimelinePoint[] {
      const points: TimelinePoint[] = []
      for (let i = 0; i < count * FIELDS; i += FIELDS) {
        points.push({
          t: data[i] ?? 0,
          heap: data[i + 1] ?? 0,
          external: data[i + 2] ?? 0,
          rss: data[i + 3] ?? 0,
        })
      }
      return points
    },
  }
}

/** Halves the points in place, keeping the first and, of each later pair, the one holding more memory. */
function thin(data: Float64Array, count: number): number {
  let kept = 1
  for (let i = 1; i < count; i += 2) {
    const a = i * FIELDS
    const b = a + FIELDS
    const pick =
      i + 1 < count && (data[b + 1] ?? 0) + (data[b + 2] ?? 0) > (data[a + 1] ?? 0) + (data[a + 2] ?? 0)
        ? b
        : a
    data.copyWithin(kept * FIELDS, pick, pick + FIELDS)
    kept++
  }
  return kept
}
