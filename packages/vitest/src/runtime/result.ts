import type { Measurement } from '@memgate/core'
import type { MemgateLimits } from './limit-types.js'

/** What memgate measured for a test, in bytes: `task.meta.memgateResult`, for reporters. */
export interface MemgateResult {
  peak: number
  peakHeap: number
  peakExternal: number
  allocated: number
  leaked: number
  leakedHeap: number
  leakedExternal: number
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
  profileKeeps: 'allocated' | 'retained'
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
