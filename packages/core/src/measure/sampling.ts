import { Session } from 'node:inspector'
import { postNow } from '../v8/inspector.js'
import type { HeapProfile } from './profile.js'

/** V8's own default: one sample per 32 KiB allocated, on average. */
export const DEFAULT_SAMPLING_INTERVAL = 32 * 1024

export interface SamplingOptions {
  /** Average bytes between two samples. Smaller is finer and slower. */
  interval?: number
  /**
   * `'allocated'` keeps samples of objects the GC has since freed (everything allocated during the span);
   * `'retained'` drops them, so the profile holds only what is still alive when sampling stops.
   */
  keep?: 'allocated' | 'retained'
}

/** A running sampling heap profiler. */
export interface Sampler {
  /** Stops sampling and returns the profile; synchronous, so it also works in an `exit` handler. */
  stop(): HeapProfile
}

/**
 * Starts V8's sampling heap profiler through an inspector session on this thread. The session lives exactly
 * as long as the sampler: `stop()` returns the profile and disconnects, even if stopping fails.
 */
export function startSampling(options: SamplingOptions = {}): Sampler {
  const { interval = DEFAULT_SAMPLING_INTERVAL, keep = 'allocated' } = options
  const session = new Session()
  session.connect()
  try {
    // The two flags are in V8's protocol (and honoured by Node 20) but not yet in @types/node.
    const params = {
      samplingInterval: interval,
      includeObjectsCollectedByMajorGC: keep === 'allocated',
      includeObjectsCollectedByMinorGC: keep === 'allocated',
    }
    postNow(session, 'HeapProfiler.startSampling', params)
  } catch (error) {
    session.disconnect()
    throw error
  }
  return {
    stop() {
      try {
        return (postNow(session, 'HeapProfiler.stopSampling') as { profile: HeapProfile }).profile
      } finally {
        session.disconnect()
      }
    },
  }
}
