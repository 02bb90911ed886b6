// The time a leak diagnosis's re-run may take. Vitest times every call of a test's function against the test's
// timeout, the diagnosis's re-run included (its heap snapshots are outside the call, so not timed): the re-run
// must fit in that timeout on its own, and V8's allocation tracking makes it many times slower.

/**
 * How many times its measured run a body's re-run is taken to last with allocation sites tracked (and
 * optimized code thrown away first). Measured in the forks pool on 2 cores, re-run against the measured run
 * (sampling profiler on) of the same body: a memo cache filling 20,000 entries (~120 MB allocated) 12–28×,
 * median 21× (11 runs); the same cache at 2,000 to 10,000 entries 7–44×, median 22× (the measured run of a
 * short body varies more); arrays of 1,000,000 small objects 3–8×; JSON round trips 2–3×. 30 covers the
 * memo cache; a body past it is re-run without sites when the tracked run reaches the timeout (see
 * diagnosis.ts). An async body can be slowed far more (the same cache filled over 100 turns of the event
 * loop: 74–179×): V8 walks the heap every 50 ms while the loop turns.
 */
export const SITES_SLOWDOWN = 30

/** Bodies whose measured run took longer are diagnosed without allocation sites, whatever the timeout. */
export const AUTO_SITES_MS = 2000

/**
 * Whether the diagnosis's re-run tracks allocation sites, and why: the test `asked` (`diagnose: { sites }`),
 * the tracked re-run `fits`, or it does not: the body is `slow` (over {@link AUTO_SITES_MS}), or the
 * tracked re-run would outlast the test's `timeout`.
 */
export type SitesChoice =
  | { track: true; why: 'asked' | 'fits' }
  | { track: false; why: 'asked' | 'slow' | 'timeout' }

/**
 * The choice for a body whose measured run took `bodyMs`, in a test whose timeout is `timeout` ms (0 or
 * Infinity: none, as Vitest reads it).
 */
export function chooseSites(
  diagnose: true | { sites: boolean },
  bodyMs: number,
  timeout: number,
): SitesChoice {
  if (diagnose !== true)
    return diagnose.sites ? { track: true, why: 'asked' } : { track: false, why: 'asked' }
  // A slow body stays untracked even without a timeout: the re-run would take many times as long (a long async
  // body, such as a load test over HTTP, far more).
  if (bodyMs > AUTO_SITES_MS) return { track: false, why: 'slow' }
  if (hasTimeout(timeout) && bodyMs * SITES_SLOWDOWN > timeout) return { track: false, why: 'timeout' }
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
