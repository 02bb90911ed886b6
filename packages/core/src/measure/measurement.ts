import type { AllocationSite, HeapProfile } from './profile.js'

/** One point of the memory-over-time chart; bytes above the level at the start, except `rss`. */
export interface TimelinePoint {
  /** Milliseconds since tracking started. */
  t: number
  heap: number
  external: number
  /** The whole process's resident set size (absolute, not relative to the start). */
  rss: number
}

/**
 * What a tracked span did to memory. Every figure is in bytes. "Above the start" means above the level
 * read after a forced full GC when tracking started.
 */
export interface Measurement {
  /**
   * The most memory held at once above the start: JS heap plus external memory (Buffers, ArrayBuffers,
   * typed arrays). Observed at garbage collections, at memgate's paced readings and at the end, so it is a
   * high-water mark with a grain: garbage not yet collected at an observation counts as held.
   */
  peak: number
  /** The JS-heap part of the reading that set `peak`. */
  peakHeap: number
  /** The external part of the reading that set `peak`. */
  peakExternal: number
  /** Bytes allocated on the JS heap during the span, freed or not (see `allocatedSource`). */
  allocated: number
  /**
   * `'sampling'`: estimated by V8's sampling heap profiler, which kept samples of collected objects.
   * `'gc-statistics'`: summed from what each GC freed plus the net growth (when sampling kept only
   * retained objects, to find leak sites).
   */
  allocatedSource: 'sampling' | 'gc-statistics'
  /**
   * Memory still reachable after a full GC at the end that was not at the start (heap + external), less
   * what V8 spent on compiled code and bytecode for code run for the first time. Never below zero.
   */
  leaked: number
  /** The JS-heap part of `leaked`. */
  leakedHeap: number
  /** The external part of `leaked`. */
  leakedExternal: number
  /** Growth of V8's code and bytecode with their metadata, left out of `leaked` (the README's `leaked` says how it is read). */
  codeGrowth: number
  /** Top allocation sites by bytes allocated (sampling with collected objects kept). */
  allocationSites: AllocationSite[]
  /** Top allocation sites of objects still alive at the end (only when sampling kept retained objects). */
  leakSites: AllocationSite[]
  /** Memory over time. */
  timeline: TimelinePoint[]
  /** Garbage collections during the span (memgate's own paced ones included) and their total pause. */
  gc: { count: number; major: number; forced: number; durationMs: number }
  durationMs: number
  /** Whether the young generation was pinned small; if not, garbage inflates `peak` by up to ~17 MB. */
  youngGenerationPinned: boolean
  /**
   * Whether old-generation garbage was bounded by paced full GCs for the whole span (in a worker thread, false
   * when the main thread could not relay the helper's looks).
   */
  heapPacing: boolean
  /** The sampling heap profile, as Chrome DevTools' Memory panel opens it (`.heapprofile`). */
  profile: HeapProfile
}

/**
 * What a peak-only span ({@link startPeakTracking}) read: the peak and how it was watched, nothing that needs
 * the sampling profiler or the forced GCs after the span. Its baseline is read after one full GC rather than
 * the lower of two, and a reading after one full GC now and then comes out a few hundred kilobytes high: so
 * `peak` may read that much low, as well as high by the garbage not yet collected at an observation. A
 * verdict near a limit needs a full measurement.
 */
export type PeakMeasurement = Pick<
  Measurement,
  | 'peak'
  | 'peakHeap'
  | 'peakExternal'
  | 'timeline'
  | 'gc'
  | 'durationMs'
  | 'youngGenerationPinned'
  | 'heapPacing'
> & {
  /**
   * The thread's whole JS heap and external memory at their highest during the span, whatever was there
   * before it: an upper bound of `peak` that needs no baseline. When it is within a limit, so is the peak.
   */
  ceiling: number
}
