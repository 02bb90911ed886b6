import type { Measurement } from '@memgate/core'
import type { MemgateLimits } from './limits.js'

/** What memgate measured for a test with limits, in bytes: `task.meta.memgateResult`, for reporters. */
export interface MemgateResult {
  peak: number
  peakHeap: number
  peakExternal: number
  allocated: number
  leaked: number
  leakedHeap: number
  leakedExternal: number
  /** The limits the test was held to. */
  limits: MemgateLimits
}

declare module 'vitest' {
  interface TaskMeta {
    memgateResult?: MemgateResult
  }
}

export function toResult(measurement: Measurement, limits: MemgateLimits): MemgateResult {
  const { peak, peakHeap, peakExternal, allocated, leaked, leakedHeap, leakedExternal } = measurement
  return {
    peak,
    peakHeap,
    peakExternal,
    allocated,
    leaked,
    leakedHeap,
    leakedExternal,
    limits: { ...limits },
  }
}
