import { rmSync } from 'node:fs'
import { relative } from 'node:path'
import {
  formatSize,
  type Measurement,
  pinYoungGenerationNow,
  readMemory,
  startPeakTracking,
  startTracking,
  type TrackingOptions,
  topSites,
} from '@memgate/core'
import type { RunnerTestCase as Test } from 'vitest'
import { ConcurrentLimitError, LeakLimitError } from '../errors.js'
import { attachProfile, attachSnapshot } from './artifact.js'
import { checkLimits } from './check.js'
import { diagnoseBody, diagnosisSection } from './diagnosis.js'
import type { MeasuredRun } from './diagnosis-budget.js'
import { ignoredSection, type LeakReading, leakReading, siteIgnoredBytes } from './leak-check.js'
import type { MemgateLimits } from './limit-types.js'
import { applicableLimits, declaredLimits } from './limits.js'
import { firstReading, judgedPeak, passesOnScreen, type ScreenedPeak } from './readings.js'
import { ceilingResult, isTimeout, peakResult, timedOutResult, toResult } from './result.js'
import type { RuntimeSettings } from './settings.js'
import { isShownFrame } from './sites.js'
import { mapSites } from './source-map.js'

type TestFn = () => unknown

/**
 * Runs the test's body (its function, as Vitest wrapped it with fixtures and timeout), measured if a limit
 * applies (the test's own, by kind, else the plugin's default) or the summary is on. Called by the runner's
 * `runTask`, in place of the function: after the `beforeEach` hooks, so the window holds the body only (and
 * the fixtures only the body uses). A retry or a repeat calls it again, for a measurement of its own.
 */
export async function runMeasured(test: Test, body: TestFn, settings: RuntimeSettings): Promise<void> {
  const limits = applicableLimits(settings.fence, declaredLimits(test))
  const limited = limits.peak !== undefined || limits.leaks !== undefined
  if (!limited && !settings.summary) {
    await body()
    return
  }
  if (test.concurrent) {
    // Only summarized, a concurrent test is left out rather than measured wrong.
    if (limited) throw new ConcurrentLimitError(test.name)
    await body()
    return
  }
  const reading = firstReading(limits, settings, readMemory())
  const screen = reading === 'full' ? undefined : await screenPeak(test, body, limits, settings, reading)
  if (screen?.passed) return
  await measureBody(test, body, limits, settings, screen?.screened)
}

/**
 * Runs the body under a peak-only measurement: the test passes on it when the peak is clearly within the
 * limit. Otherwise (near or over the limit) the body is measured again in full, for the verdict and the sites
 * a failure shows. A body that throws is not run again: its error is the test's.
 * With the heap far below the limit and no gate (which compares peaks, not bounds), the reading is the
 * ceiling alone: it forces no GC at all.
 */
async function screenPeak(
  test: Test,
  body: TestFn,
  limits: MemgateLimits,
  settings: RuntimeSettings,
  reading: 'ceiling' | 'peak-only',
): Promise<{ passed: boolean; screened: Screened }> {
  const limit = limits.peak as number
  const ceilingOnly = reading === 'ceiling'
  // A ceiling is a bound whatever the young generation's size; a peak read from a baseline needs it small.
  if (!ceilingOnly) await pinIfLazy(settings)
  const tracking = await startPeakTracking(ceilingOnly ? { baseline: false, pacing: false } : {})
  let thrown: { error: unknown } | undefined
  try {
    await body()
  } catch (error) {
    thrown = { error }
  }
  const measurement = await tracking.stop()
  test.meta.memgateResult =
    thrown && isTimeout(test, thrown.error)
      ? timedOutResult(limits)
      : ceilingOnly
        ? ceilingResult(measurement, limits)
        : peakResult(measurement, limits)
  if (thrown) throw thrown.error
  const read = ceilingOnly ? measurement.ceiling : measurement.peak
  const passed = test.fails === true || passesOnScreen(limit, read)
  return {
    passed,
    screened: ceilingOnly
      ? { bytes: read, what: "read the thread's whole heap and external memory at" }
      : {
          bytes: read,
          what: 'measured without the sampling profiler, read a peak of',
          peak: { peak: measurement.peak, heap: measurement.peakHeap, external: measurement.peakExternal },
        },
  }
}

/** What the screening run read, for the failure of a test it could not pass. */
interface Screened {
  bytes: number
  what: string
  /** A peak-only run's peak (a ceiling is a bound, never a peak to judge by). */
  peak?: ScreenedPeak
}

async function measureBody(
  test: Test,
  body: TestFn,
  limits: MemgateLimits,
  settings: RuntimeSettings,
  screened?: Screened,
): Promise<void> {
  const runs = limits.leaks !== undefined ? (limits.runs ?? 1) : 1
  const options = trackingOptions(limits, settings)
  await pinIfLazy(settings)
  const first = await measureRuns(body, 1, options)
  const judged = judgedPeak(first.measurement, limits.peak, screened?.peak)
  test.meta.memgateResult =
    first.thrown && isTimeout(test, first.thrown.error)
      ? timedOutResult(limits)
      : toResult(judged.measurement, limits, options.sampling?.keep ?? 'allocated')
  if (first.thrown) throw first.thrown.error
  // The runs after the first are profiled for what they retain: the leak sites of the growth per run.
  const later =
    runs > 1
      ? await measureRuns(body, runs - 1, trackingOptions({ leaks: limits.leaks }, settings))
      : undefined
  const leak = leakReading(first.measurement, later?.measurement, runs)
  if (later) test.meta.memgateResult.leakedPerRun = leak.perRun
  if (later?.thrown) {
    if (isTimeout(test, later.thrown.error)) test.meta.memgateResult = timedOutResult(limits)
    throw later.thrown.error
  }
  // An expected failure is flipped to a pass after the run, so a limit failure would read as a pass.
  if (test.fails || test.result?.state === 'fail') return
  const failures: Error[] = checkLimits(judged.measurement, limits, leak)
  const leakFailure = failures.find((failure) => failure instanceof LeakLimitError)
  if (leakFailure && limits.leaks !== undefined) {
    const leakLimits = limits as MemgateLimits & { leaks: number }
    const { durationMs: bodyMs, allocated } = first.measurement
    const verdict = await judgeLeak(test, body, leakLimits, settings, leak, { bodyMs, allocated })
    if (verdict.pass) failures.splice(failures.indexOf(leakFailure), 1)
    else leakFailure.message += verdict.sections
  }
  const [firstFailure, ...more] = failures
  if (!firstFailure) return
  if (screened)
    for (const failure of failures)
      failure.message += judged.firstRun
        ? `\n\nThe body ran twice: its first run, ${screened.what} ${formatSize(screened.bytes)}, over the ` +
          'limit, so it was measured again in full for the sites; its second run read a peak of ' +
          `${formatSize(first.measurement.peak)}, within it. The first run is the one your code does (a body ` +
          'that fills a cache, or keeps other state, does less when run again): the peak above is the first ' +
          'run’s, the sites are the second’s.'
        : `\n\nThe body ran twice: its first run, ${screened.what} ` +
          `${formatSize(screened.bytes)}, not clearly within the limit, so it was measured again in full; the ` +
          'figures and sites above are from that second run.'
  try {
    const written = await attachProfile(test, first.measurement, settings)
    if (test.meta.memgateResult) test.meta.memgateResult.profile = relative(settings.root, written.path)
    for (const failure of failures) failure.message += written.note
  } catch (error) {
    // The limit stays the failure: a profile that cannot be saved is only noted under it.
    for (const failure of failures)
      failure.message += `\n\nmemgate could not save the heap profile: ${(error as Error).message}`
  }
  if (more.length > 0) throw new AggregateError(failures, 'memgate: limits exceeded')
  throw firstFailure
}

/** The share of a peak that external memory must make for a failure's sites to include it. */
const EXTERNAL_SITES_SHARE = 0.25

/** Pins the worker's young generation before its first GC-based measurement, when it did not start pinned. */
async function pinIfLazy(settings: RuntimeSettings): Promise<void> {
  if (settings.pinLazily) await pinYoungGenerationNow()
}

/** Runs the body `count` times in one measurement; what it threw is returned, after the measurement stopped. */
async function measureRuns(body: TestFn, count: number, options: TrackingOptions) {
  const tracking = await startTracking(options)
  let thrown: { error: unknown } | undefined
  try {
    for (let run = 0; run < count; run++) await body()
  } catch (error) {
    thrown = { error }
  }
  const raw = await tracking.stop()
  // External memory's sites explain a peak that is largely external; beside a peak held on the JS heap, the
  // Buffers a stream made and dropped would push the heap's own sites down the list.
  const sites =
    raw.peakExternal < EXTERNAL_SITES_SHARE * raw.peak
      ? topSites(raw.profile, { ...options.sites, external: false })
      : raw.allocationSites
  // V8's frames point into the module Vitest ran; the user reads the source it was transformed from.
  const measurement: Measurement = {
    ...raw,
    allocationSites: mapSites(sites),
    leakSites: mapSites(raw.leakSites),
  }
  return { measurement, thrown }
}

/**
 * A leak check that failed on the leaked figure: the `ignore` filter may take known leaks off it, and the
 * body is run once more to diagnose what it leaves (unless `diagnose: false`). Returns whether the test
 * passes after all, or the sections to add to its failure.
 */
async function judgeLeak(
  test: Test,
  body: TestFn,
  limits: MemgateLimits & { leaks: number },
  settings: RuntimeSettings,
  leak: LeakReading,
  measured: MeasuredRun,
): Promise<{ pass: boolean; sections: string }> {
  const { ignore } = limits
  const bySite = siteIgnoredBytes(leak, ignore)
  if (ignore && ignore.kinds.length === 0 && leak.perRun - bySite <= limits.leaks) {
    if (test.meta.memgateResult) test.meta.memgateResult.leakedIgnored = bySite
    return { pass: true, sections: '' }
  }
  const diagnosed =
    limits.diagnose === false
      ? undefined
      : await diagnoseBody(test, body, settings, ignore, limits.diagnose ?? true, measured)
  const filtered = ignore
    ? ignoredSection(ignore, leak, bySite, diagnosed?.diagnosis?.ignored, limits.leaks, settings.fence.ignore)
    : undefined
  const snapshot = diagnosed?.diagnosis?.snapshotPath
  if (filtered && test.meta.memgateResult) test.meta.memgateResult.leakedIgnored = filtered.ignored
  if (filtered && filtered.judged <= limits.leaks) {
    // Passed thanks to the filter: the snapshot is of no use.
    if (snapshot) rmSync(snapshot, { force: true })
    return { pass: true, sections: '' }
  }
  let sections = filtered?.text ?? ''
  if (diagnosed) sections += diagnosisSection(diagnosed, settings, { limit: limits.leaks, runs: leak.runs })
  if (snapshot) {
    if (test.meta.memgateResult) test.meta.memgateResult.snapshot = relative(settings.root, snapshot)
    try {
      await attachSnapshot(test, settings, snapshot)
    } catch (error) {
      sections += `\n\nmemgate could not attach the heap snapshot: ${(error as Error).message}`
    }
  }
  return { pass: false, sections }
}

function trackingOptions(limits: MemgateLimits, settings: RuntimeSettings): TrackingOptions {
  // With only a leak limit, the profile keeps live objects only: it then says where the leak was allocated.
  const keep = limits.peak === undefined && limits.leaks !== undefined ? 'retained' : 'allocated'
  return {
    sampling: { keep, interval: settings.samplingInterval },
    sites: { filter: isShownFrame, limit: settings.sites, frames: settings.frames },
  }
}
