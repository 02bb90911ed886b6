import assert from 'node:assert'
import { GCProfiler, type GCProfilerResult } from 'node:v8'
import { MeasurementOverlapError } from '../errors.js'
import { now } from '../v8/clock.js'
import { finishCompilation } from '../v8/compilation.js'
import { settleFeedback } from '../v8/feedback.js'
import { collectAllGarbage, collectGarbage, collectYoungGarbage, nextTurn, runFinalizers } from '../v8/gc.js'
import { youngGeneration } from '../v8/young-generation.js'
import { renewBufferPool } from './buffer-pool.js'
import { type ExternalSites, recordExternalSites } from './external-sites.js'
import { type Interrupts, prepareInterrupts } from './interrupts.js'
import type { Measurement, PeakMeasurement } from './measurement.js'
import {
  type CodeBytes,
  codeChangeBetween,
  lowerOfEach,
  type MemoryReading,
  readCodeBytes,
  readMemory,
} from './memory.js'
import { type Pacer, type PacerOptions, startPacer } from './pacer.js'
import { type FrameFilter, type HeapProfile, profileBytes, topSites } from './profile.js'
import { type Sampler, type SamplingOptions, startSampling } from './sampling.js'
import { createTimeline, type Timeline } from './timeline.js'

export interface TrackingOptions {
  /** Sampling heap profiler settings: interval in bytes, and whether to keep collected objects' samples. */
  sampling?: SamplingOptions
  /** How many allocation sites to report, and how many frames each. */
  sites?: { limit?: number; frames?: number; filter?: FrameFilter }
  /** GC pacing that bounds garbage in the peak; `false` turns it off (the peak then reads garbage too). */
  pacing?: PacerOptions | false
  /** Milliseconds between timeline points taken while the event loop turns. */
  timelineInterval?: number
}

/** A running peak-only measurement. */
export interface PeakTracking {
  /** Ends the span and returns its peak; no GC is forced. Call it once. */
  stop(): Promise<PeakMeasurement>
}

/** A running measurement. */
export interface Tracking {
  /**
   * Ends the span, collects garbage, and returns what it did to memory. Call it once. When more than a few
   * kilobytes are left after the GCs, the event loop turns (FinalizationRegistry callbacks run) and full GCs
   * more run before the JS heap's part of the leak is read: two to four of each.
   */
  stop(): Promise<Measurement>
  /**
   * The same, synchronously: for a process `exit` handler, where nothing can be awaited. Objects that only a
   * pending FinalizationRegistry callback would drop then read as leaked.
   */
  stopNow(): Measurement
}

// Shared by every copy of @memgate/core loaded in this thread: measurements share one heap.
const ACTIVE = Symbol.for('memgate.tracking.active')
const WARM = Symbol.for('memgate.tracking.warm')
const state = globalThis as { [ACTIVE]?: boolean; [WARM]?: boolean }

/**
 * Starts measuring memory on this thread. Throws {@link MeasurementOverlapError} if a measurement is
 * already running. Everything it changes (profilers, hooks, the inspector session) is undone by `stop()`,
 * also when the measured code threw.
 */
export async function startTracking(options: TrackingOptions = {}): Promise<Tracking> {
  const span = await open(options, 'full')
  return { stopNow: () => span.finish(), stop: () => span.finishSettled() }
}

/**
 * Starts measuring only the peak on this thread: the work a verdict on a peak limit needs when the peak is
 * well within it. One full GC for the baseline and the pacing that keeps garbage out of the readings; no
 * sampling profiler, no forced GC after the span, so no allocated or leaked figures and no sites (see
 * {@link PeakMeasurement} for what its peak may be off by). Throws {@link MeasurementOverlapError} as
 * `startTracking` does.
 */
export async function startPeakTracking(options: PeakTrackingOptions = {}): Promise<PeakTracking> {
  const span = await open(options, options.baseline === false ? 'ceiling' : 'peak')
  return { stop: async () => span.finishPeak() }
}

export interface PeakTrackingOptions extends Pick<TrackingOptions, 'pacing' | 'timelineInterval'> {
  /**
   * `false`: no full GC for the baseline, which is read as it is. `peak` then counts from a start that holds
   * garbage and may read low; `ceiling` is the figure to judge by, an upper bound of the peak that needs no
   * baseline. What a verdict of "well within a limit" needs when the whole heap is far below the limit: a
   * span that forces no GC at all unless the pacing must. Default true.
   */
  baseline?: boolean
}

/** What a span reads: everything (`startTracking`), the peak, or only the ceiling with no baseline GC. */
type SpanKind = 'full' | 'peak' | 'ceiling'

async function open(options: TrackingOptions, kind: SpanKind): Promise<Span> {
  if (state[ACTIVE]) throw new MeasurementOverlapError()
  state[ACTIVE] = true
  try {
    // What ran before may have left work for the event loop that frees memory (callbacks of I/O it started,
    // timers): run in the span, it would lower the end reading by what it frees. After a failed leak check
    // and its diagnosis in a Vitest worker, the next test's span freed ~170 kB that way and its 113 kB leak
    // read −60 kB (Node 24, both cores busy: 2 of 3 runs of 15 such tests had one pass its 64 kB limit;
    // with this turn, 0 of 4).
    await nextTurn()
    if (!state[WARM]) {
      // The first tracking in a thread makes memgate's own one-time allocations (compiled code, inspector
      // and profiler state, the helper thread): do one empty round so they do not read as the user's leak.
      ;(await begin(options, 'full')).finish()
      state[WARM] = true
      state[ACTIVE] = true
    }
    return await begin(options, kind)
  } catch (error) {
    state[ACTIVE] = false
    throw error
  }
}

async function begin(options: TrackingOptions, kind: SpanKind): Promise<Span> {
  // Before the baseline's GCs: from them to the end's, no feedback may come or go but the span's own.
  settleFeedback()
  const pacing = options.pacing === false ? undefined : (options.pacing ?? {})
  // What memgate itself keeps while tracking is made before the baseline, so it does not read as a leak.
  const interrupts =
    pacing && pacing.interrupts !== false ? await prepareInterrupts(pacing.interrupts) : undefined
  return new Span(options, pacing, interrupts, kind)
}

/** A running measurement: started by its constructor, ended by `finish()`. */
class Span {
  private readonly keep: 'allocated' | 'retained'
  private readonly timeline: Timeline
  private readonly sampler: Sampler | undefined
  private readonly start: MemoryReading
  private readonly codeAtStart: CodeBytes | undefined
  private readonly startedAt: number
  private readonly profiler: GCProfiler
  private readonly high: HighWater
  private readonly pacer: Pacer | undefined
  private readonly external: ExternalSites | undefined
  private heapPacedGcs = 0
  private stopped = false

  constructor(
    private readonly options: TrackingOptions,
    pacing: PacerOptions | undefined,
    private readonly interrupts: Interrupts | undefined,
    private readonly kind: SpanKind,
  ) {
    const peakOnly = kind !== 'full'
    this.keep = options.sampling?.keep ?? 'allocated'
    // Made before the baseline, as the interrupts are: memgate's own, not a leak.
    this.timeline = createTimeline(options.timelineInterval)
    this.sampler = peakOnly ? undefined : startSampling({ ...options.sampling, keep: this.keep })
    this.external = this.sampler && this.keep === 'allocated' ? recordExternalSites() : undefined
    this.start = kind === 'ceiling' ? readMemory() : baselineReading(peakOnly ? 1 : 2)
    this.external?.looked(this.start.external)
    // Only a leak reading needs it, and V8 walks the heap to count it (1.5 ms on a small one).
    this.codeAtStart = peakOnly ? undefined : readCodeBytes()
    this.startedAt = now()
    this.timeline.start(this.start, this.startedAt)
    this.profiler = new GCProfiler()
    this.profiler.start()
    this.high = highWater(this.start)
    this.pacer = pacing ? startPacer(pacing, this.external) : undefined
    const minWait = typeof pacing?.interrupts === 'number' ? pacing.interrupts : 1
    const external = this.external
    const look = external
      ? (reading: MemoryReading) => {
          this.timeline.add(reading)
          external.looked(reading.external)
        }
      : this.timeline.add
    interrupts?.resume(paceHeap(this.start, minWait, () => this.heapPacedGcs++, look))
  }

  /** Ends a peak-only span: no GC is forced, nothing but the peak is read. */
  finishPeak(): PeakMeasurement {
    assert(this.kind !== 'full', 'memgate: finishPeak() on a full tracking')
    return this.ending(() => {
      const watched = this.watched()
      return { ...watched, timeline: this.timeline.points() }
    })
  }

  /** Ends the span and returns what it did to memory; everything started is stopped, also on failure. */
  finish(): Measurement {
    return this.ending(() => this.measurement(this.ended()))
  }

  /**
   * {@link finish}, and when the span left more than a few kilobytes behind, turns of the event loop and
   * full GCs more before the leak is judged: what only a FinalizationRegistry callback drops is garbage only
   * after a turn (see `runFinalizers`), which a synchronous `finish()` cannot take.
   */
  async finishSettled(): Promise<Measurement> {
    assert(!this.stopped, 'memgate: stop() called twice on one tracking')
    this.stopped = true
    try {
      const ended = this.ended()
      if (leakFigures(this.start, ended.retained, ended.codeChange).leaked > SETTLED_ENOUGH) {
        // settledReading has just run full GCs: the callbacks they made due are waiting for a turn.
        await runFinalizers()
        // Only the JS heap's figure is taken from after the turns, where those callbacks' objects live. A turn
        // lets the rest of the process run, and external memory it frees was there before the span (on Node 24
        // in a Vitest worker: 64 KiB, read off a 2 MB Buffer the span kept).
        const { heap } = readMemory()
        if (heap < ended.retained.heap) ended.retained = { ...ended.retained, heap }
      }
      return this.measurement(ended)
    } finally {
      this.released()
    }
  }

  /** The span's end: its watchers stopped and what is left after full GCs read, as numbers and small readings. */
  private ended() {
    assert(this.sampler, 'memgate: finish() on a peak-only tracking')
    // Kept in this one frame, as numbers and small readings: what is made here before the forced GCs below
    // and still reachable after them would read as leaked.
    const ticked = this.interrupts?.pause() ?? false
    const forced = (this.pacer?.stop().forced ?? 0) + this.heapPacedGcs
    const end = this.endReading()
    const durationMs = now() - this.startedAt
    const gc = stopGcProfiler(this.profiler, this.high.note)
    assert(this.codeAtStart, 'memgate: a full tracking weighs the code at its start')
    const { reading: retained, codeChange } = settledReading(this.start, this.codeAtStart)
    return { ticked, forced, end, durationMs, gc, retained, codeChange, sampler: this.sampler }
  }

  /** The measurement of an ended span: made after its leak is read, as the sampler's profile is. */
  private measurement(ended: ReturnType<Span['ended']>): Measurement {
    const { ticked, forced, end, durationMs, gc, retained, codeChange } = ended
    // V8 runs one more full GC inside stopSampling (the inspector asks for it): the floor of this cost.
    const profile = ended.sampler.stop()
    const sites = this.options.sites ?? {}
    const allocated = allocatedFigures(this.keep, profile, gc.freed + Math.max(0, end.heap - this.start.heap))
    // After the heap's figure is read from the profile: `allocated` stays the JS heap's.
    this.external?.addTo(profile)
    return {
      ...peakFigures(this.start, this.high.reading()),
      ...allocated,
      ...leakFigures(this.start, retained, codeChange),
      allocationSites: this.keep === 'allocated' ? topSites(profile, sites) : [],
      leakSites: this.keep === 'retained' ? topSites(profile, sites) : [],
      timeline: this.timeline.points(),
      gc: { count: gc.count, major: gc.major, forced, durationMs: gc.durationMs },
      durationMs,
      youngGenerationPinned: youngGeneration().pinned,
      heapPacing: ticked,
      profile,
    }
  }

  /** Runs `end` once, then releases what the span holds, also when `end` threw. */
  private ending<T>(end: () => T): T {
    assert(!this.stopped, 'memgate: stop() called twice on one tracking')
    this.stopped = true
    try {
      return end()
    } finally {
      this.released()
    }
  }

  private released(): void {
    // After the end reading: in a worker thread the helper's session was in the baseline too.
    this.interrupts?.release()
    state[ACTIVE] = false
  }

  /**
   * Stops the watchers and reads the peak: what every span returns but its timeline, which is made after the
   * forced GCs of a full measurement (made before, its points would read as leaked).
   */
  private watched(): Omit<PeakMeasurement, 'timeline'> {
    const ticked = this.interrupts?.pause() ?? false
    const forced = (this.pacer?.stop().forced ?? 0) + this.heapPacedGcs
    this.endReading()
    const durationMs = now() - this.startedAt
    const gc = stopGcProfiler(this.profiler, this.high.note)
    const high = this.high.reading()
    return {
      ...peakFigures(this.start, high),
      ceiling: high.heap + high.external,
      gc: { count: gc.count, major: gc.major, forced, durationMs: gc.durationMs },
      durationMs,
      youngGenerationPinned: youngGeneration().pinned,
      heapPacing: ticked,
    }
  }

  /** Memory as the span ends, before any forced GC: a candidate for the peak and the timeline's last point. */
  private endReading(): MemoryReading {
    const end = readMemory()
    this.high.note(end)
    this.timeline.add(end)
    this.timeline.stop()
    return end
  }
}

/** The most held at once above the start, and its two parts. */
function peakFigures(start: MemoryReading, peak: MemoryReading) {
  return {
    peak: Math.max(0, peak.heap + peak.external - start.heap - start.external),
    peakHeap: Math.max(0, peak.heap - start.heap),
    peakExternal: Math.max(0, peak.external - start.external),
  }
}

/**
 * Bytes allocated on the heap: the sampling profile's estimate when it kept collected objects, else what the
 * GCs freed plus the net growth (`fromGcs`).
 */
function allocatedFigures(keep: 'allocated' | 'retained', profile: HeapProfile, fromGcs: number) {
  return keep === 'allocated'
    ? { allocated: profileBytes(profile), allocatedSource: 'sampling' as const }
    : { allocated: fromGcs, allocatedSource: 'gc-statistics' as const }
}

/**
 * What is still held above the start after full GCs, less the change in V8's code and bytecode; never below
 * zero. The change is taken with its sign: code V8 flushed during the span (the bytecode of functions not run
 * for a while, there at the start) lowered the heap by as much, and is no data of the program's. Left out, a
 * flush in the end reading's second GC made a ~130 kB leak read 5–20 kB low (Node 24, after a leak diagnosis:
 * 2 of 5 runs of 30 such leaks had one reading over 20% low).
 */
export function leakFigures(start: MemoryReading, retained: MemoryReading, codeChange: number) {
  const codeGrowth = Math.max(0, codeChange)
  const leakedHeap = Math.max(0, retained.heap - start.heap - codeChange)
  const leakedExternal = Math.max(0, retained.external - start.external)
  return { leaked: leakedHeap + leakedExternal, leakedHeap, leakedExternal, codeGrowth }
}

/**
 * The reading a measurement starts from: each part at its lower of two readings, each right after a full GC
 * (see {@link lowerOfEach}). A reading after a full GC now and then comes out 200–480 kB high, and the next
 * one is back down (a bare `node --expose-gc` loop of 3,000 cycles: 1–4 such readings, never two in a row).
 * A baseline read high makes the peak and the leak read low — enough for a 64 kB leak to pass its limit
 * (seen 2 in 560 of this project's tests) — so the second GC (a few milliseconds on a small heap, tens on a
 * test runner's) is paid on every full measurement; a peak-only one pays only the first, and a verdict near
 * its limit is then measured again in full.
 */
function baselineReading(gcs: 1 | 2): MemoryReading {
  renewBufferPool()
  finishCompilation()
  collectAllGarbage()
  if (gcs === 1) {
    // V8 frees dead ArrayBuffers' memory on a background thread after the full GC, and the next collection
    // waits for that: without it, the typed arrays an earlier test dropped read as external memory held at
    // the start (2 MB of them made a 4 MB peak read 2 MB). A scavenge of the empty young generation is enough.
    collectYoungGarbage()
    return readMemory()
  }
  const first = readMemory()
  collectAllGarbage()
  return lowerOfEach(first, readMemory())
}

/** A leak this small after one full GC is reported as read: further collections could only lower it. */
const SETTLED_ENOUGH = 16 * 1024

/**
 * What is left after full GCs, and how much of it is V8's compiled code. One collection is usually enough;
 * each costs milliseconds. A reading after one collection can only overstate what is held (now and then one
 * still held ~100 kB that the next collection freed), so when it shows more than a few kilobytes left behind,
 * two more collections run and each part (heap, external) counts at its lowest.
 * The code size is read after the first collection only when the heap grew, and after the others again: V8
 * walks the heap to count it, which costs milliseconds on a test runner's heap (and waits for the GC's
 * concurrent sweeping to finish).
 */
function settledReading(
  start: MemoryReading,
  codeAtStart: CodeBytes,
): { reading: MemoryReading; codeChange: number } {
  // A compile job started during the span would keep what the span dropped (the leak reads high).
  finishCompilation()
  collectAllGarbage()
  const first = readMemory()
  // The heap and external memory are judged apart, as the leak figures are: external memory the process
  // freed during the span (128 KiB of it in a Vitest worker on Node 24) must not hide the heap's growth
  // from the code it is explained by (a leak-free test then read 84 kB of fresh code as leaked).
  // The heap did not grow, so there is nothing for compiled code to explain.
  const codeChange = first.heap > start.heap ? codeChangeBetween(codeAtStart, readCodeBytes()) : 0
  if (leakFigures(start, first, codeChange).leaked <= SETTLED_ENOUGH) return { reading: first, codeChange }
  collectGarbage()
  const second = readMemory()
  // The collection may have flushed bytecode, older than the span too: the code is weighed again, after it.
  const changeAfter = codeChangeBetween(codeAtStart, readCodeBytes())
  // Each part at its lower, as the baseline is: the heap with the code weighed at its reading.
  const heapFirst =
    leakFigures(start, first, codeChange).leakedHeap <= leakFigures(start, second, changeAfter).leakedHeap
  const external = Math.min(first.external, second.external)
  return heapFirst
    ? { reading: { heap: first.heap, external }, codeChange }
    : { reading: { heap: second.heap, external }, codeChange: changeAfter }
}

type HighWater = ReturnType<typeof highWater>

/** The highest reading seen: the candidate for the peak. */
function highWater(start: MemoryReading) {
  let high = start
  return {
    note(reading: MemoryReading) {
      if (reading.heap + reading.external > high.heap + high.external) high = reading
    },
    reading: () => high,
  }
}

/**
 * Stops the GC profiler and keeps only the numbers. Its entries (about a kilobyte per GC) must be made and
 * dropped in a frame of their own: a temporary of the caller's frame stays reachable until that frame returns,
 * and the caller goes on to weigh what is left after a full GC.
 */
function stopGcProfiler(profiler: GCProfiler, note: (reading: MemoryReading) => void) {
  return summarizeGcs(profiler.stop()?.statistics ?? [], note)
}

/**
 * Reduces GCProfiler's entries to a few numbers (the entries themselves are dropped before the final GC, so
 * they do not read as leaked) and hands each GC's before-reading to `note`: a reading just before a GC
 * holds everything allocated since the last one, so no spike between GCs is missed.
 */
function summarizeGcs(entries: GCProfilerResult['statistics'], note: (reading: MemoryReading) => void) {
  let freed = 0
  let major = 0
  let cost = 0
  for (const entry of entries) {
    const before = entry.beforeGC.heapStatistics
    note({ heap: before.usedHeapSize, external: before.externalMemory })
    freed += Math.max(0, before.usedHeapSize - entry.afterGC.heapStatistics.usedHeapSize)
    if (entry.gcType !== 'Scavenge') major++
    cost += entry.cost
  }
  return { count: entries.length, major, freed, durationMs: cost / 1000 }
}

/** The longest the helper thread waits between two looks at a heap that is not growing. */
const MAX_PACING_WAIT = 4

/**
 * The helper thread's tick: a full GC whenever heap + external grew past an allowance since the last full
 * GC. Objects that outlive the young generation and then die (a parsed JSON document dropped after use)
 * would otherwise pile up in the old generation until V8's own, much later, full GC. The allowance grows
 * with what is really held (5% of it, at least 2 MiB), so a growing live heap costs few GCs.
 * Returns how long the helper waits before the next look: `minWait` ms while the heap is more than half way
 * to the allowance, else twice the last wait, up to {@link MAX_PACING_WAIT}: each look interrupts the
 * measured code, and code that makes only young garbage (which scavenges free) needs few of them.
 */
function paceHeap(
  start: MemoryReading,
  minWait: number,
  onGc: () => void,
  onReading: (reading: MemoryReading) => void,
) {
  const startTotal = start.heap + start.external
  let floor = startTotal
  let wait = minWait
  const calm = () => {
    wait = Math.max(minWait, Math.min(MAX_PACING_WAIT, wait * 2))
    return wait
  }
  return (): number => {
    const reading = readMemory()
    onReading(reading)
    const total = reading.heap + reading.external
    if (total < floor) {
      floor = total
      return calm()
    }
    const allowance = Math.max(2 * 2 ** 20, 0.05 * (floor - startTotal))
    if (total - floor <= allowance / 2) return calm()
    wait = minWait
    if (total - floor <= allowance) return wait
    collectAllGarbage()
    onGc()
    const after = readMemory()
    floor = after.heap + after.external
    return wait
  }
}
