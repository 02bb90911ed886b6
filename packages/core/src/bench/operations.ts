import { measure } from '../measure/measure.js'
import { type RssSpan, trackRss } from '../measure/rss.js'
import { collectAllGarbage } from '../v8/gc.js'

/** What a run of many calls of one operation did to memory, in bytes. */
export interface OperationsMemory {
  /** How many calls were measured (the warm-up calls before them are not). */
  iterations: number
  /** JS heap bytes allocated per call, freed or not: the span's `allocated` ÷ `iterations`. */
  allocatedPerOp: number
  /** JS heap bytes allocated by all the measured calls. */
  allocated: number
  /** The most JS heap + external memory held at once during the calls, above the level before them. */
  peak: number
  peakHeap: number
  peakExternal: number
  /** What the calls left reachable after a full GC at the end, heap + external, above the level before them. */
  retained: number
  /**
   * The process's resident set (RSS, as `ps` counts it) over the measured calls: before them, and the kernel's
   * high-water mark during them, reset when they started. RSS is every page of the process in RAM — V8's heap
   * pages kept after a GC, the allocator's free lists, compiled code, the measurement's own bookkeeping — so
   * it is larger than `peak` and grows by more. Absent where the mark cannot be reset (Linux only). In a
   * process that has run other work first, pages it already holds are reused, and the growth reads lower
   * than in a fresh one: measure in a child (`withMemory(bench, { where: 'child' })`) to compare tasks by RSS.
   */
  rss?: RssSpan
  /** Whether the young generation was pinned (`--max-semi-space-size=1`): the peak's grain depends on it. */
  youngGenerationPinned: boolean
}

export interface OperationsOptions {
  /** Calls to measure (≥ 1). */
  iterations: number
  /** Calls run before the measured span, so that first-call compilation and lazy set-up are not counted. */
  warmup?: number
  /** Called before each call, inside the span (its allocations count). */
  beforeEach?: () => unknown
  /** Called after each call, inside the span (its allocations count). */
  afterEach?: () => unknown
  /**
   * Bytes between two samples of V8's sampling heap profiler, which runs during the span (default 32 KiB). No
   * figure here comes from it; a larger interval costs less on calls that allocate gigabytes.
   */
  samplingInterval?: number
}

/**
 * Calls `fn` `iterations` times in a row under one measurement and returns its figures per call. Whatever a
 * call returns that is a promise is awaited before the next. `allocated` is summed from V8's GC statistics
 * (what each GC freed plus the net growth), not sampled.
 */
export async function measureOperations(
  fn: () => unknown,
  options: OperationsOptions,
): Promise<OperationsMemory> {
  const { iterations, warmup = 1, beforeEach, afterEach, samplingInterval } = options
  const loop = async (count: number) => {
    for (let i = 0; i < count; i++) {
      if (beforeEach) await beforeEach()
      const returned = fn()
      if (isThenable(returned)) await returned
      if (afterEach) await afterEach()
    }
  }
  await loop(warmup)
  const sampling = { keep: 'retained' as const, ...(samplingInterval && { interval: samplingInterval }) }
  // The warm-up's garbage is collected before the high-water mark is reset, not by measure()'s baseline GC
  // after it: resident then, it set the mark, and the calls' own growth could hide under it once it was freed.
  collectAllGarbage()
  const rss = trackRss()
  const m = await measure(() => loop(iterations), { sampling })
  const rssSpan = rss.stop()
  return {
    iterations,
    allocatedPerOp: m.allocated / iterations,
    allocated: m.allocated,
    peak: m.peak,
    peakHeap: m.peakHeap,
    peakExternal: m.peakExternal,
    retained: m.leaked,
    ...(rssSpan && { rss: rssSpan }),
    youngGenerationPinned: m.youngGenerationPinned,
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
