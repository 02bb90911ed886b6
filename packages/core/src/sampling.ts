import { Session } from 'node:inspector/promises'
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
  stop(): Promise<HeapProfile>
}

/**
 * Starts V8's sampling heap profiler through an inspector session on this thread. The session lives exactly
 * as long as the sampler: `stop()` returns the profile and disconnects, even if stopping fails.
 */
export async function startSampling(options: SamplingOptions = {}): Promise<Sampler> {
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
    await session.post('HeapProfiler.startSampling', params)
  } catch (error) {
    session.disconnect()
    throw error
  }
  return {
    async stop() {
      try {
        const { profile } = await session.post('HeapProfiler.stopSampling')
        return profile as HeapProfile
      } finally {
        session.disconnect()
      }
    },
  }
}
