import type { Measurement } from './measurement.js'
import { startTracking, type TrackingOptions } from './tracker.js'

/**
 * Runs `fn` (sync or async) under the tracker and returns what it did to memory. If `fn` throws, tracking
 * is stopped and everything restored before the error is rethrown.
 */
export async function measure(fn: () => unknown, options: TrackingOptions = {}): Promise<Measurement> {
  const tracking = await startTracking(options)
  let failure: { error: unknown } | undefined
  try {
    await fn()
  } catch (error) {
    failure = { error }
  }
  const measurement = await tracking.stop()
  if (failure) throw failure.error
  return measurement
}
