import { type Measurement, startTracking, type TrackingOptions } from '@memgate/core'
import { getFn, setFn, type Test } from '@vitest/runner'
import { TestRunner } from 'vitest'
import { checkLimits } from './check.js'
import { ConcurrentLimitError, RunnerMismatchError } from './errors.js'
import type { MemgateLimits } from './limits.js'
import { toResult } from './result.js'
import { isShownFrame } from './sites.js'

type TestFn = () => unknown

// Each test's own function, kept so that a retry or a repeat wraps it again rather than the wrapper.
const originals = new WeakMap<Test, TestFn>()

/**
 * Replaces the function Vitest runs for the test body with one that measures it, if the test has limits.
 * Called from `beforeEach`, so the window holds the body only (and fixtures only the body uses).
 */
export function wrapTest(test: Test): void {
  const limits = test.meta.memgate?.limits
  if (!limits) return
  if (test.concurrent) throw new ConcurrentLimitError(test.name)
  let body = originals.get(test)
  if (!body) {
    body = getFn(test)
    originals.set(test, body)
  }
  const run = body
  const wrapped = () => measureBody(test, run, limits)
  setFn(test, wrapped)
  if (TestRunner.getTestFn(test) !== wrapped) throw new RunnerMismatchError()
}

async function measureBody(test: Test, body: TestFn, limits: MemgateLimits): Promise<void> {
  const tracking = await startTracking(trackingOptions(limits))
  let thrown: { error: unknown } | undefined
  try {
    await body()
  } catch (error) {
    thrown = { error }
  }
  const measurement: Measurement = await tracking.stop()
  test.meta.memgateResult = toResult(measurement, limits)
  if (thrown) throw thrown.error
  // An expected failure is flipped to a pass after the run, so a limit failure would read as a pass.
  if (test.fails || test.result?.state === 'fail') return
  const [first, ...more] = checkLimits(measurement, limits)
  if (first && more.length > 0) throw new AggregateError([first, ...more], 'memgate: limits exceeded')
  if (first) throw first
}

function trackingOptions(limits: MemgateLimits): TrackingOptions {
  // With only a leak limit, the profile keeps live objects only: it then says where the leak was allocated.
  const keep = limits.peak === undefined ? 'retained' : 'allocated'
  return { sampling: { keep }, sites: { filter: isShownFrame } }
}
