import { rmSync } from 'node:fs'
import { relative } from 'node:path'
import { clearImmediate, setImmediate } from 'node:timers'
import { type DiagnoseOptions, formatSize, type LeakDiagnosis, startLeakTracking } from '@memgate/core'
import { leakGroupLines, runFinalizers } from '@memgate/core/internal'
import type { RunnerTestCase as Test } from 'vitest'
import { artifactPath } from './artifact.js'
import {
  chooseSites,
  isTimeout,
  type MeasuredRun,
  type SitesChoice,
  trackedRerunMs,
} from './diagnosis-budget.js'
import { groupSitesIgnored, kindIgnored } from './leak-filter.js'
import type { LeakIgnore } from './limit-types.js'
import type { RuntimeSettings } from './settings.js'
import { isShownFrame } from './sites.js'
import { mapFrame, mapSites } from './source-map.js'

/** How many kinds a failure lists; each gets its retainer path (the graph is built once, a path costs little). */
const GROUPS_SHOWN = 8
const MIN_SHOWN_BYTES = 1000

export interface BodyDiagnosis {
  diagnosis?: LeakDiagnosis
  /** Whether the re-run tracked allocation sites, and why (the first re-run, when there were two). */
  sites: SitesChoice
  /** What the body's measured run took and allocated. */
  measured: MeasuredRun
  /** The test's timeout, in ms (0 or Infinity: none). */
  timeout: number
  /** Set when a re-run reached the test's timeout. */
  timedOut?: TimedOut
  /** What the re-run threw, or why the diagnosis could not be made. */
  error?: unknown
}

/** The re-runs that reached the test's timeout. */
export interface TimedOut {
  /** Each re-run that reached it, in order: with allocation sites tracked (`true`) or not. */
  runs: boolean[]
  /** A tracked re-run reached it and was not followed by one without sites: the body is asynchronous. */
  async?: boolean
}

/**
 * Runs the body once more under core's leak tracking (what exists is marked before it, a heap snapshot taken after) and diagnoses what it left.
 * Called only after every measurement of the test stopped: a measurement's sampler closing its inspector
 * session makes V8 forget the object ids the first snapshot marked. V8 tracks allocations during the re-run
 * when the test asks or the tracked run fits its time (diagnosis-budget.ts), and each group's sites are then
 * source-mapped as the failure shows them.
 */
export async function diagnoseBody(
  test: Test,
  body: () => unknown,
  settings: RuntimeSettings,
  ignore: LeakIgnore | undefined,
  diagnose: true | { sites: boolean },
  measured: MeasuredRun,
): Promise<BodyDiagnosis> {
  const { timeout } = test
  const sites = chooseSites(diagnose, measured, timeout)
  const first = await rerun(test, body, settings, ignore, sites.track)
  if (!first.timedOut) return { sites, measured, timeout, ...first.outcome }
  const timedOut: TimedOut = { runs: [sites.track] }
  if (!sites.track) return { sites, measured, timeout, timedOut }
  // Tracking may be what made it too slow: once more without, for a synchronous body only (the event loop did
  // not turn while it ran). Vitest rejects that one after it returned; its timer does not stop an async body,
  // which a second run would overlap. At the timeout Vitest aborted the test's `signal`, which a synchronous
  // body rarely reads; one that does fails the second run on it, and the failure says so.
  if (first.async) return { sites, measured, timeout, timedOut: { ...timedOut, async: true } }
  const second = await rerun(test, body, settings, ignore, false)
  if (second.timedOut) timedOut.runs.push(false)
  return { sites, measured, timeout, timedOut, ...second.outcome }
}

interface Rerun {
  /** The diagnosis, or what stopped it: an error other than the timeout. */
  outcome?: { diagnosis: LeakDiagnosis } | { error: unknown }
  /** Whether the body reached the test's timeout. */
  timedOut?: boolean
  /** Whether the event loop turned while the body ran (then it may still be running when timed out). */
  async?: boolean
}

/** One re-run of the body under leak tracking, with or without allocation sites. */
async function rerun(
  test: Test,
  body: () => unknown,
  settings: RuntimeSettings,
  ignore: LeakIgnore | undefined,
  sites: boolean,
): Promise<Rerun> {
  const snapshotPath = artifactPath(test, settings, 'heapsnapshot')
  rmSync(snapshotPath, { force: true })
  // Made before the mark, so it is not one of the run's objects. Nothing up to the body turns the event loop
  // (the mark is synchronous), so it fires only if the body lets the loop turn; if it fired earlier, the body
  // is taken as async, which only rules out a second re-run.
  let turned = false
  const turn = setImmediate(() => {
    turned = true
  })
  // Made before the mark too: made after it, these objects of memgate's are new when the snapshot is taken.
  const options: DiagnoseOptions = {
    snapshotPath,
    paths: GROUPS_SHOWN,
    limit: GROUPS_SHOWN,
    // All of them: a failure names the first and sums the others.
    sites: { limit: Number.POSITIVE_INFINITY, frames: settings.frames, filter: isShownFrame },
    // A closure on a retainer path is named with its line in the source, as the sites are.
    locate: mapFrame,
    // Core asks once per group, with all of its sites: they are source-mapped here, kept or not.
    ignore: (group) => {
      if (group.sites) group.sites = mapSites(group.sites)
      if (!ignore) return false
      return kindIgnored(ignore, group.kind) || groupSitesIgnored(ignore, group.sites ?? [])
    },
  }
  let tracking: Awaited<ReturnType<typeof startLeakTracking>> | undefined
  try {
    tracking = await startLeakTracking({
      trackAllocations: sites,
      // Discarding optimized code goes through V8's coverage mode, which Vitest's v8 coverage keeps precise.
      deoptimize: !v8CoverageRuns(),
    })
    try {
      await body()
    } catch (error) {
      if (isTimeout(error, test.timeout)) return { timedOut: true, async: turned }
      const message = (error as Error)?.message ?? error
      return { outcome: { error: new Error(`the test body threw when run again: ${message}`) } }
    }
    // What only a FinalizationRegistry callback drops (undici's WeakRef per fetch response) is not the body's.
    await runFinalizers()
    const diagnosis = tracking.diagnose(options)
    return { outcome: { diagnosis } }
  } catch (error) {
    return { outcome: { error } }
  } finally {
    clearImmediate(turn)
    tracking?.stop()
  }
}

/** The failure's section on the diagnosis: groups by kind, retainer paths, the snapshot, the time taken. */
export function diagnosisSection(
  result: BodyDiagnosis,
  settings: RuntimeSettings,
  context: { limit: number; runs: number },
): string {
  const { diagnosis } = result
  if (!diagnosis) return `\n\nmemgate could not diagnose the leak: ${notDiagnosed(result)}`
  const took = `took ${formatDuration(diagnosis.durationMs)}`
  const head =
    `\n\nLeak diagnosis (the body ran once more under leak tracking; ${took}): objects that run made ` +
    'and left reachable after a full GC, by kind, largest first (own size plus new backing stores):'
  // Below a kilobyte: the promises of the test run in flight, a listener of Vitest's (or a leak too small to matter).
  const lines = leakGroupLines(diagnosis, {
    minBytes: MIN_SHOWN_BYTES,
    hiddenSites: "allocated by code a failure does not show (Node's, Vitest's or memgate's)",
  })
  let note = ''
  if (diagnosis.bytes <= context.limit)
    note =
      `\nThat run left ${formatSize(diagnosis.bytes)} in objects, within the limit: the growth the check saw ` +
      (context.runs > 1
        ? 'may come from memory outside the JS heap (Buffers), or vary from run to run.'
        : 'looks like a one-time fill (a cache or module set up on the first run). Give `runs: 2` or more ' +
          'to judge the growth per run after the first.')
  const snapshot = diagnosis.snapshotPath
    ? `\nHeap snapshot of the end state (Chrome DevTools → Memory → Load): ${relative(settings.root, diagnosis.snapshotPath)}`
    : ''
  const untracked = diagnosis.sitesTracked
    ? ''
    : `\nAllocation sites per kind were not tracked${untrackedWhy(result)}`
  return `${head}\n${lines.join('\n')}${note}${untracked}${snapshot}`
}

/** Why a diagnosis was made without allocation sites, and how to get them. */
function untrackedWhy({ sites, measured, timeout, timedOut }: BodyDiagnosis): string {
  const took = formatDuration(measured.bodyMs)
  const rest = 'the sampled sites above are for all kinds together.'
  if (timedOut)
    return (
      `: the re-run tracking them reached the test's timeout of ${timeout} ms (the measured run took ${took}; ` +
      'tracking every allocation makes a body many times slower), so the body ran once more without them, ' +
      "after Vitest had aborted the test's `signal`. A larger `timeout` leaves tracking the time it needs; " +
      rest
    )
  if (sites.why === 'timeout')
    return (
      `: the body took ${took} and allocated ${formatSize(measured.allocated)}; tracking every allocation, its ` +
      `re-run would take an estimated ${formatDuration(trackedRerunMs(measured))}, past the test's timeout of ` +
      `${timeout} ms (Vitest times each run of the body, the diagnosis's too). A larger \`timeout\` lets them ` +
      `be tracked; ${rest}`
    )
  if (sites.why === 'slow')
    return (
      `: the body took ${took}, and tracking every allocation would make its re-run many times slower. ` +
      `\`diagnose: { sites: true }\` tracks them anyway; ${rest}`
    )
  return (
    ' (`diagnose: { sites: false }`): without that option the re-run records where each object is allocated ' +
    '(slower) and every kind above names its site.'
  )
}

/** Why there is no diagnosis: the re-run reached the test's timeout (what was tried, what to do), or threw. */
function notDiagnosed({ sites, measured, timeout, timedOut, error }: BodyDiagnosis): string {
  const reason = (error as Error)?.message ?? error
  if (!timedOut) return String(reason)
  const head =
    `the diagnosis run reached the test's timeout of ${timeout} ms (the measured run took ` +
    `${formatDuration(measured.bodyMs)}; Vitest times each run of the body).`
  const skip = 'A larger `timeout` gives it the time; `diagnose: false` skips the diagnosis.'
  const tracked = 'It ran with allocation sites tracked, which makes a body many times slower'
  if (timedOut.runs[0] === false) {
    const why =
      sites.why === 'asked'
        ? 'It ran without allocation sites (`diagnose: { sites: false }`).'
        : 'It ran without allocation sites, at full speed (tracking them would have made it slower still).'
    return `${head} ${why} ${skip}`
  }
  if (timedOut.runs.length > 1)
    return `${head} ${tracked}, then once more without them, and reached it both times. ${skip}`
  if (timedOut.async)
    return (
      `${head} ${tracked}, and was not run again without them: the body is asynchronous, and Vitest's timer ` +
      'does not stop it. A larger `timeout` gives it the time; `diagnose: { sites: false }` re-runs it at full speed.'
    )
  // Run again without sites, it failed otherwise (Vitest had aborted the test's signal by then).
  return `${head} ${tracked}; run once more without them, after Vitest had aborted the test's \`signal\`, ${reason}`
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

function v8CoverageRuns(): boolean {
  // Vitest's internal worker state: the resolved config of the run.
  const worker = (globalThis as { __vitest_worker__?: { config?: { coverage?: CoverageConfig } } })
    .__vitest_worker__
  const coverage = worker?.config?.coverage
  // A custom provider may collect V8 coverage too: only istanbul (instrumented code) is known not to.
  return (
    Boolean(process.env.NODE_V8_COVERAGE) || (coverage?.enabled === true && coverage.provider !== 'istanbul')
  )
}

interface CoverageConfig {
  enabled?: boolean
  provider?: string
}
