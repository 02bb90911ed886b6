// Which reading a measured test is judged on first: each verdict costs only the work it needs (issue 18).
import type { MemgateLimits } from './limit-types.js'
import type { RuntimeSettings } from './settings.js'

/**
 * `ceiling`: the thread's whole heap and external memory at their highest during the body, no GC at all (an
 * upper bound of the body's peak). `peak-only`: one forced full GC for the baseline and the pacing, no
 * sampling profiler. `full`: every figure, the allocation sites, the leak reading.
 */
export type FirstReading = 'ceiling' | 'peak-only' | 'full'

/**
 * While the thread's whole heap and external memory are below this share of a peak limit, a test is judged
 * first on its ceiling. Far below its limit, that bound passes; a test that comes near is measured again in
 * full. Above this share the bound would rarely pass, and the one-GC peak-only reading is used.
 */
export const CEILING_SHARE = 0.5

/**
 * Below this margin under its limit, a first reading does not pass the test: a one-GC baseline now and then
 * reads 200–480 kB high (the peak then reads as much low), and garbage only makes a reading higher. Closer to
 * the limit, or over it, the verdict needs a full measurement.
 */
export const SCREEN_MARGIN = 1024 * 1024

/**
 * The first reading of a test, from its limits, the plugin's settings and what the thread holds before the
 * body. A leak limit, or the summary (which reports every figure), needs the full measurement. A peak limit
 * alone is screened: on its ceiling while the thread holds under {@link CEILING_SHARE} of the limit and no
 * gate is in play (the gate compares and records peaks read from a baseline, never bounds), else peak-only.
 */
export function firstReading(
  limits: MemgateLimits,
  settings: Pick<RuntimeSettings, 'summary' | 'gate' | 'gateRecords'>,
  held: { heap: number; external: number },
): FirstReading {
  if (limits.peak === undefined || limits.leaks !== undefined || settings.summary) return 'full'
  const gated = settings.gate !== undefined || settings.gateRecords === true
  return !gated && held.heap + held.external <= CEILING_SHARE * limits.peak ? 'ceiling' : 'peak-only'
}

/** Whether a first reading passes the test by itself: at least {@link SCREEN_MARGIN} under its limit. */
export function passesOnScreen(limit: number, read: number): boolean {
  return limit - read >= SCREEN_MARGIN
}

/** A peak-only first run's peak and its parts. */
export interface ScreenedPeak {
  peak: number
  heap: number
  external: number
}

/**
 * The figures a peak limit is judged on when the body ran twice (screened, then measured in full). A peak-only
 * first run measures the peak as the full run does (one GC fewer for its baseline, no profiler), so a first run
 * over the limit fails the test even when the second reads within it: a body that fills a cache, or keeps other
 * state between runs, does less the second time, and the first run is the one the user's code does. Then the
 * figures are the first run's (`firstRun`; the sites stay the second's: the first had no profiler). Otherwise
 * the full run's figures decide, as they do near the limit, where the screen could not.
 */
export function judgedPeak<M extends { peak: number; peakHeap: number; peakExternal: number }>(
  full: M,
  limit: number | undefined,
  first: ScreenedPeak | undefined,
): { measurement: M; firstRun: boolean } {
  if (limit === undefined || !first || first.peak <= limit || full.peak > limit)
    return { measurement: full, firstRun: false }
  return {
    measurement: { ...full, peak: first.peak, peakHeap: first.heap, peakExternal: first.external },
    firstRun: true,
  }
}
