import type { TimelinePoint } from './measurement.js'
import { type MemoryReading, readMemory } from './memory.js'

const MAX_POINTS = 2000

/**
 * Records memory over time: a point each `interval` ms while the event loop turns, plus any reading handed
 * to `add` (the pacer's, the end). A synchronous stretch of code gets points only from `add`.
 */
export function startTimeline(start: MemoryReading, startedAt: number, interval = 10) {
  const points: TimelinePoint[] = []
  const add = (reading: MemoryReading) => {
    if (points.length >= MAX_POINTS) thin(points)
    points.push({
      t: performance.now() - startedAt,
      heap: reading.heap - start.heap,
      external: reading.external - start.external,
      rss: process.memoryUsage.rss(),
    })
  }
  add(start)
  const timer = setInterval(() => add(readMemory()), interval)
  timer.unref()
  return {
    add,
    stop: () => clearInterval(timer),
    points: () => points.slice(),
  }
}

/** Halves the points, keeping the first and, of each pair after it, the one with more memory. */
function thin(points: TimelinePoint[]): void {
  const kept: TimelinePoint[] = points.slice(0, 1)
  for (let i = 1; i < points.length; i += 2) {
    const a = points[i]
    const b = points[i + 1]
    if (a && b) kept.push(a.heap + a.external >= b.heap + b.external ? a : b)
    else if (a) kept.push(a)
  }
  points.splice(0, points.length, ...kept)
}
