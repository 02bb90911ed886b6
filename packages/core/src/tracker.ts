import assert from 'node:assert'
import { GCProfiler } from 'node:v8'
import { MeasurementOverlapError } from './errors.js'
import { collectAllGarbage, collectGarbage } from './gc.js'
import { startInterrupts } from './interrupts.js'
import type { Measurement } from './measurement.js'
import { type MemoryReading, readCodeBytes, readMemory } from './memory.js'
import { type PacerOptions, startPacer } from './pacer.js'
import { type FrameFilter, profileBytes, topSites } from './profile.js'
import { type SamplingOptions, startSampling } from './sampling.js'
import { startTimeline } from './timeline.js'
import { youngGeneration } from './young-generation.js'

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

/** A running measurement. */
export interface Tracking {
  /** Ends the span, collects garbage, and returns what it did to memory. Safe to call once. */
  stop(): Promise<Measurement>
}

// Shared by every copy of @memgate/core loaded in this thread: measurements share one heap.
const ACTIVE = Symbol.for('memgate.tracking.active')
const state = globalThis as { [ACTIVE]?: boolean }

/**
 * Starts measuring memory on this thread. Throws {@link MeasurementOverlapError} if a measurement is
 * already running. Everything it changes (profilers, hooks, the inspector session) is undone by `stop()`,
 * also when the measured code threw.
 */
export async function startTracking(options: TrackingOptions = {}): Promise<Tracking> {
  if (state[ACTIVE]) throw new MeasurementOverlapError()
  state[ACTIVE] = true
  try {
    return await begin(options)
  } catch (error) {
    state[ACTIVE] = false
    throw error
  }
}

async function begin(options: TrackingOptions): Promise<Tracking> {
  const keep = options.sampling?.keep ?? 'allocated'
  const sampler = await startSampling({ ...options.sampling, keep })
  collectGarbage()
  const codeAtStart = readCodeBytes()
  const start = readMemory()
  const startedAt = performance.now()
  const profiler = new GCProfiler()
  profiler.start()
  let high = { ...start }
  const note = (reading: MemoryReading) => {
    if (reading.heap + reading.external > high.heap + high.external) high = reading
  }
  const timeline = startTimeline(start, startedAt, options.timelineInterval)
  const pacing = options.pacing === false ? undefined : (options.pacing ?? {})
  const pacer = pacing ? startPacer(pacing) : undefined
  let heapPacedGcs = 0
  const interrupts =
    pacing && pacing.interrupts !== false
      ? await startInterrupts(
          paceHeap(start, () => heapPacedGcs++, timeline.add),
          pacing.interrupts,
        )
      : undefined
  let stopped = false

  return {
    async stop() {
      assert(!stopped, 'memgate: stop() called twice on one tracking')
      stopped = true
      try {
        interrupts?.stop()
        const paced = pacer?.stop()
        const end = readMemory()
        note(end)
        timeline.add(end)
        const durationMs = performance.now() - startedAt
        const gcs = profiler.stop()?.statistics ?? []
        let freed = 0
        for (const entry of gcs) {
          const before = entry.beforeGC.heapStatistics
          const after = entry.afterGC.heapStatistics
          note({ heap: before.usedHeapSize, external: before.externalMemory })
          freed += Math.max(0, before.usedHeapSize - after.usedHeapSize)
        }
        collectGarbage()
        const retained = readMemory()
        const codeGrowth = Math.max(0, readCodeBytes() - codeAtStart)
        const profile = await sampler.stop()
        const leakedHeap = Math.max(0, retained.heap - start.heap - codeGrowth)
        const leakedExternal = Math.max(0, retained.external - start.external)
        const sites = options.sites ?? {}
        return {
          peak: Math.max(0, high.heap + high.external - start.heap - start.external),
          peakHeap: Math.max(0, high.heap - start.heap),
          peakExternal: Math.max(0, high.external - start.external),
          allocated:
            keep === 'allocated' ? profileBytes(profile) : freed + Math.max(0, end.heap - start.heap),
          allocatedSource: keep === 'allocated' ? 'sampling' : 'gc-statistics',
          leaked: leakedHeap + leakedExternal,
          leakedHeap,
          leakedExternal,
          codeGrowth,
          allocationSites: keep === 'allocated' ? topSites(profile, sites) : [],
          leakSites: keep === 'retained' ? topSites(profile, sites) : [],
          timeline: timeline.points(),
          gc: {
            count: gcs.length,
            major: gcs.filter((entry) => entry.gcType !== 'Scavenge').length,
            forced: (paced?.forced ?? 0) + heapPacedGcs,
            durationMs: gcs.reduce((sum, entry) => sum + entry.cost, 0) / 1000,
          },
          durationMs,
          youngGenerationPinned: youngGeneration().pinned,
          heapPacing: interrupts !== undefined,
          profile,
        }
      } finally {
        timeline.stop()
        state[ACTIVE] = false
      }
    },
  }
}

/**
 * The helper thread's tick: a full GC whenever heap + external grew past an allowance since the last full
 * GC. Objects that outlive the young generation and then die (a parsed JSON document dropped after use)
 * would otherwise pile up in the old generation until V8's own, much later, full GC. The allowance grows
 * with what is really held (4% of it, at least 2 MiB), so a growing live heap costs few GCs.
 */
function paceHeap(start: MemoryReading, onGc: () => void, onReading: (reading: MemoryReading) => void) {
  const startTotal = start.heap + start.external
  let floor = startTotal
  return () => {
    const reading = readMemory()
    onReading(reading)
    const total = reading.heap + reading.external
    if (total < floor) {
      floor = total
      return
    }
    if (total - floor <= Math.max(2 * 2 ** 20, 0.04 * (floor - startTotal))) return
    collectAllGarbage()
    onGc()
    const after = readMemory()
    floor = after.heap + after.external
  }
}
