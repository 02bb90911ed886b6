import type { Measurement, PeakMeasurement } from '@memgate/core'
import type { MemgateLimits } from './limit-types.js'

/** What memgate measured for a test, in bytes: `task.meta.memgateResult`, for reporters. */
export interface MemgateResult {
  /**
   * `true`: the test timed out, which interrupted its body, so none of its figures are kept (a figure of part
   * of a body would be taken for the whole): no peak, no allocated or leaked figures, no sites, no profile.
   * The gate neither compares nor records it.
   */
  timedOut?: true
  /** Most memory the body held at once (absent when it timed out, as the other figures). */
  peak?: number
  peakHeap?: number
  peakExternal?: number
  /**
   * `'peak-only'`: the test passed on a peak-only measurement (a peak limit alone, well within it: see the
   * README, "What a verdict costs"), so there are no allocated or leaked figures, no sites and no profile.
   * `'ceiling'`: it passed on `ceiling` alone, with no figure of its own (no peak either).
   */
  measured?: 'peak-only' | 'ceiling'
  /**
   * With `measured: 'ceiling'`: the worker's whole JS heap and external memory at their highest while the body
   * ran, what was there before it included: an upper bound of the body's peak, far enough within its limit
   * that no GC was needed to judge it.
   */
  ceiling?: number
  allocated?: number
  leaked?: number
  leakedHeap?: number
  leakedExternal?: number
  /** With `runs` over 1: what each run after the first left reachable, on average (the figure judged). */
  leakedPerRun?: number
  /** What a leak limit's `ignore` filter took off the leaked figure (per run), when the check needed it. */
  leakedIgnored?: number
  /** The limits the test was held to: its own, else the plugin's defaults (none when only summarized). */
  limits: MemgateLimits
  /** The site that allocated most (source-mapped), if any was sampled. */
  topSite?: { functionName: string; file: string; line: number; bytes: number }
  /**
   * What the test's heap profile samples: everything the body allocated (`'allocated'`), or only what was
   * still reachable when it returned (`'retained'`, for a test with a leak limit and no peak limit).
   */
  profileKeeps?: 'allocated' | 'retained'
  /** The heap profile written for a test over a limit, relative to the project root. */
  profile?: string
  /** The heap snapshot a leak diagnosis wrote, relative to the project root. */
  snapshot?: string
}

declare module 'vitest' {
  interface TaskMeta {
    memgateResult?: MemgateResult
  }
}

/** A result with figures: the body ran to its end. */
export type MeasuredResult = MemgateResult &
  Required<Pick<MemgateResult, 'peak' | 'peakHeap' | 'peakExternal'>>

/** A result with every figure: the test was measured in full. */
export type FullResult = MeasuredResult &
  Required<Pick<MemgateResult, 'allocated' | 'leaked' | 'leakedHeap' | 'leakedExternal' | 'profileKeeps'>>

export function isMeasuredResult(result: MemgateResult): result is MeasuredResult {
  return result.timedOut !== true && result.peak !== undefined
}

export function isFullResult(result: MemgateResult): result is FullResult {
  return isMeasuredResult(result) && result.measured !== 'peak-only'
}

/** The result of a test that timed out: its limits, and no figures. */
export function timedOutResult(limits: MemgateLimits): MemgateResult {
  return { timedOut: true, limits: { ...limits } }
}

/**
 * Whether what the body threw is Vitest's timeout of the test: the error Vitest aborts the test's signal with
 * (by its message too, for a runner whose context has no signal).
 */
export function isTimeout(test: { context?: { signal?: AbortSignal } }, error: unknown): boolean {
  const signal = test.context?.signal
  if (signal?.aborted && signal.reason === error) return true
  const message = (error as { message?: unknown } | null)?.message
  return typeof message === 'string' && /^Test timed out in \d+ms\./.test(message)
}

/** The result of a test that passed on a peak-only measurement. */
export function ceilingResult(measurement: PeakMeasurement, limits: MemgateLimits): MemgateResult {
  return { measured: 'ceiling', ceiling: measurement.ceiling, limits: { ...limits } }
}

export function peakResult(measurement: PeakMeasurement, limits: MemgateLimits): MemgateResult {
  const { peak, peakHeap, peakExternal } = measurement
  return { peak, peakHeap, peakExternal, measured: 'peak-only', limits: { ...limits } }
}

export function toResult(
  measurement: Measurement,
  limits: MemgateLimits,
  profileKeeps: MemgateResult['profileKeeps'],
): MemgateResult {
  const { peak, peakHeap, peakExternal, allocated, leaked, leakedHeap, leakedExternal } = measurement
  const result: MemgateResult = {
    peak,
    peakHeap,
    peakExternal,
    allocated,
    leaked,
    leakedHeap,
    leakedExternal,
    limits: { ...limits },
    profileKeeps,
  }
  const [site] = measurement.allocationSites.length > 0 ? measurement.allocationSites : measurement.leakSites
  const frame = site?.stack[0]
  if (site && frame) {
    const { functionName, url: file, line } = frame
    result.topSite = { functionName, file, line, bytes: site.bytes }
  }
  return result
}
