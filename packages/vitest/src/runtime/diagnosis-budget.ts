// The time a leak diagnosis's re-run may take. Vitest times every call of a test's function against the test's
// timeout, the diagnosis's re-run included (its heap snapshots are outside the call, so not timed): the re-run
// must fit in that timeout on its own, and V8's allocation tracking makes it many times slower.

/**
 * What a tracked re-run costs, from the measured run: twice its time, plus this much per MB it allocated.
 * Tracking costs by allocation, not by time (BENCHMARKS.md, "Leak diagnosis: the tracked re-run"): two bodies
 * whose first runs took 200–300 ms ran 3–7× longer tracked (a test of 5,000 checkouts, 21 MB allocated) and
 * 29–55× (a memo cache filling 20,000 entries, 200 MB). Bodies that allocate a lot took 16–62 ms more per MB
 * tracked than untracked; 75 is above every run.
 */
export const TRACKING_MS_PER_MB = 75
/** With optimized code thrown away first, a body that computes rather than allocates ran up to 1.7× its time. */
export const RERUN_TIME_FACTOR = 2

/** Bodies whose measured run took longer are diagnosed without allocation sites, whatever the timeout. */
export const AUTO_SITES_MS = 2000

/** What the measured run of the body took (in ms) and allocated (in bytes, as sampled). */
export interface MeasuredRun {
  bodyMs: number
  allocated: number
}

/**
 * Whether the diagnosis's re-run tracks allocation sites, and why: the test `asked` (`diagnose: { sites }`),
 * the tracked re-run `fits`, or it does not: the body is `slow` (over {@link AUTO_SITES_MS}), or the
 * tracked re-run would outlast the test's `timeout`.
 */
export type SitesChoice =
  | { track: true; why: 'asked' | 'fits' }
  | { track: false; why: 'asked' | 'slow' | 'timeout' }

/** How long the body's re-run is expected to take with every allocation tracked, in ms. */
export function trackedRerunMs({ bodyMs, allocated }: MeasuredRun): number {
  return bodyMs * RERUN_TIME_FACTOR + (allocated / 1e6) * TRACKING_MS_PER_MB
}

/**
 * The choice for a body measured as `run`, in a test whose timeout is `timeout` ms (0 or Infinity: none, as
 * Vitest reads it).
 */
export function chooseSites(
  diagnose: true | { sites: boolean },
  run: MeasuredRun,
  timeout: number,
): SitesChoice {
  if (diagnose !== true)
    return diagnose.sites ? { track: true, why: 'asked' } : { track: false, why: 'asked' }
  // A slow body stays untracked even without a timeout: a long async body (a load test over HTTP) is slowed far
  // more than the estimate, as V8 re-walks the heap every 50 ms while the event loop turns.
  if (run.bodyMs > AUTO_SITES_MS) return { track: false, why: 'slow' }
  if (hasTimeout(timeout) && trackedRerunMs(run) > timeout) return { track: false, why: 'timeout' }
  return { track: true, why: 'fits' }
}

/** Whether Vitest times the test's function: a timeout of 0 or Infinity is none. */
export function hasTimeout(timeout: number): boolean {
  return timeout > 0 && Number.isFinite(timeout)
}

/**
 * Whether a re-run failed on Vitest's timeout of `timeout` ms rather than on an error of the body's: it
 * rejects with its own message, `Test timed out in 5000ms.` (a synchronous body that finished late too).
 */
export function isTimeout(error: unknown, timeout: number): boolean {
  if (!hasTimeout(timeout)) return false
  // Duck-typed: in the vm pools the error comes from another realm, whose Error is not this one's.
  const message = (error as { message?: unknown } | null | undefined)?.message
  return typeof message === 'string' && message.startsWith(`Test timed out in ${timeout}ms`)
}
