import { type Measurement, startTracking, type TrackingOptions } from '@memgate/core'
import { getFn, setFn, type Test } from '@vitest/runner'
import { TestRunner } from 'vitest'
import { attachProfile } from './artifact.js'
import { checkLimits } from './check.js'
import { ConcurrentLimitError, RunnerMismatchError } from './errors.js'
import type { MemgateLimits } from './limits.js'
import { toResult } from './result.js'
import type { RuntimeSettings } from './settings.js'
import { isShownFrame } from './sites.js'
import { mapSites } from './source-map.js'

type TestFn = () => unknown

// Each test's own function, kept so that a retry or a repeat wraps it again rather than the wrapper.
const originals = new WeakMap<Test, TestFn>()

/**
 * Replaces the function Vitest runs for the test body with one that measures it, if a limit applies (the
 * test's own, by kind, else the plugin's default) or the summary is on.
 * Called from `beforeEach`, so the window holds the body only (and fixtures only the body uses).
 */
export function wrapTest(test: Test, settings: RuntimeSettings): void {
  const limits = { ...settings.fence, ...test.meta.memgate?.limits }
  const limited = limits.peak !== undefined || limits.leaks !== undefined
  if (!limited && !settings.summary) return
  if (test.concurrent) {
    // Only summarized, a concurrent test is left out rather than measured wrong.
    if (limited) throw new ConcurrentLimitError(test.name)
    return
  }
  let body = originals.get(test)
  if (!body) {
    body = getFn(test)
    originals.set(test, body)
  }
  const run = body
  const wrapped = () => measureBody(test, run, limits, settings)
  setFn(test, wrapped)
  if (TestRunner.getTestFn(test) !== wrapped) throw new RunnerMismatchError()
}

async function measureBody(
  test: Test,
  body: TestFn,
  limits: MemgateLimits,
  settings: RuntimeSettings,
): Promise<void> {
  const tracking = await startTracking(trackingOptions(limits, settings))
  let thrown: { error: unknown } | undefined
  try {
    await body()
  } catch (error) {
    thrown = { error }
  }
  const raw = await tracking.stop()
  // V8's frames point into the module Vitest ran; the user reads the source it was transformed from.
  const measurement: Measurement = {
    ...raw,
    allocationSites: mapSites(raw.allocationSites),
    leakSites: mapSites(raw.leakSites),
  }
  test.meta.memgateResult = toResult(measurement, limits)
  if (thrown) throw thrown.error
  // An expected failure is flipped to a pass after the run, so a limit failure would read as a pass.
  if (test.fails || test.result?.state === 'fail') return
  const failures = checkLimits(measurement, limits)
  const [first, ...more] = failures
  if (!first) return
  try {
    await attachProfile(test, measurement.profile, settings)
  } catch (error) {
    // The limit stays the failure: a profile that cannot be saved is only noted under it.
    for (const failure of failures)
      failure.message += `\n\nmemgate could not save the heap profile: ${(error as Error).message}`
  }
  if (more.length > 0) throw new AggregateError(failures, 'memgate: limits exceeded')
  throw first
}

function trackingOptions(limits: MemgateLimits, settings: RuntimeSettings): TrackingOptions {
  // With only a leak limit, the profile keeps live objects only: it then says where the leak was allocated.
  const keep = limits.peak === undefined && limits.leaks !== undefined ? 'retained' : 'allocated'
  return {
    sampling: { keep, interval: settings.samplingInterval },
    sites: { filter: isShownFrame, limit: settings.sites, frames: settings.frames },
  }
}
