import type { VariantName } from '../../src/variant.js'

/** One variant's figures for one phase of the load test. */
export interface PhaseResult {
  variant: VariantName
  phase: number
  /** Requests the gateway had served when the phase ended, warm-up included. */
  servedSoFar: number
  requests: number
  seconds: number
  /** Response latency in ms, as autocannon measured it. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number }
  non2xx: number
  errors: number
  /** The gateway process's JS heap after a full GC at the end of the phase, and its resident set, in bytes. */
  heapAfterGc: number
  rss: number
  sessions: number
  cachedResponses: number
}

export interface LoadResults {
  date: string
  environment: string
  settings: {
    phases: number
    requestsPerPhase: number
    connections: number
    warmUp: number
    maxSeconds: number
  }
  /** True when the time limit stopped the run before every phase ran. */
  stoppedEarly: boolean
  seconds: number
  phases: PhaseResult[]
}
