import { rmSync } from 'node:fs'
import { relative } from 'node:path'
import { formatSize, type LeakDiagnosis, startLeakTracking } from '@memgate/core'
import { leakGroupLines } from '@memgate/core/internal'
import type { RunnerTestCase as Test } from 'vitest'
import { artifactPath } from './artifact.js'
import { groupSitesIgnored, kindIgnored } from './leak-filter.js'
import type { LeakIgnore } from './limit-types.js'
import type { RuntimeSettings } from './settings.js'
import { isShownFrame } from './sites.js'
import { mapSites } from './source-map.js'

/** How many kinds a failure lists; each gets its retainer path (the graph is built once, a path costs little). */
const GROUPS_SHOWN = 8
const MIN_SHOWN_BYTES = 1000
/** Bodies whose measured run took longer are diagnosed without allocation sites, unless the test asks. */
const AUTO_SITES_MS = 2000

export interface BodyDiagnosis {
  diagnosis?: LeakDiagnosis
  /** When sites were left untracked because the body is slow: how long its measured run took, in ms. */
  slowBodyMs?: number
  /** What the re-run threw, or why the diagnosis could not be made. */
  error?: unknown
}

/**
 * Runs the body once more between two heap snapshots (core's leak tracking) and diagnoses what it left.
 * Called only after every measurement of the test stopped: a measurement's sampler closing its inspector
 * session makes V8 forget the object ids the first snapshot marked. Unless `diagnose` is `{ sites: false }`,
 * V8 tracks allocations during the re-run, and each group's sites are source-mapped as the failure shows them.
 */
export async function diagnoseBody(
  test: Test,
  body: () => unknown,
  settings: RuntimeSettings,
  ignore: LeakIgnore | undefined,
  diagnose: boolean | { sites: boolean } = true,
  bodyMs = 0,
): Promise<BodyDiagnosis> {
  const snapshotPath = artifactPath(test, settings, 'heapsnapshot')
  // Unless the test said: tracked when the body is quick. Tracking slows a body that allocates a lot several
  // times over, and while the event loop turns V8 re-walks the heap every 50 ms (a long async body, such as a
  // load test over HTTP, would take many times longer to re-run).
  const sites = typeof diagnose === 'object' ? diagnose.sites : bodyMs <= AUTO_SITES_MS
  const slow = typeof diagnose === 'object' || sites ? {} : { slowBodyMs: bodyMs }
  rmSync(snapshotPath, { force: true })
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
      return { error: new Error(`the test body threw when run again: ${(error as Error)?.message ?? error}`) }
    }
    const diagnosis = tracking.diagnose({
      snapshotPath,
      paths: GROUPS_SHOWN,
      limit: GROUPS_SHOWN,
      // All of them: a failure names the first and sums the others.
      sites: { limit: Number.POSITIVE_INFINITY, frames: settings.frames, filter: isShownFrame },
      // Core asks once per group, with all of its sites: they are source-mapped here, kept or not.
      ignore: (group) => {
        if (group.sites) group.sites = mapSites(group.sites)
        if (!ignore) return false
        return kindIgnored(ignore, group.kind) || groupSitesIgnored(ignore, group.sites ?? [])
      },
    })
    return { diagnosis, ...slow }
  } catch (error) {
    return { error }
  } finally {
    tracking?.stop()
  }
}

/** The failure's section on the diagnosis: groups by kind, retainer paths, the snapshot, the time taken. */
export function diagnosisSection(
  result: BodyDiagnosis,
  settings: RuntimeSettings,
  context: { limit: number; runs: number },
): string {
  const { diagnosis, error } = result
  if (!diagnosis) return `\n\nmemgate could not diagnose the leak: ${(error as Error)?.message ?? error}`
  const took = `took ${formatDuration(diagnosis.durationMs)}`
  const head =
    `\n\nLeak diagnosis (the body ran once more between two heap snapshots; ${took}): objects that run made ` +
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
    : result.slowBodyMs !== undefined
      ? `\nAllocation sites per kind were not tracked: the body took ${formatDuration(result.slowBodyMs)}, and ` +
        'tracking every allocation would make its re-run many times slower. `diagnose: { sites: true }` tracks ' +
        'them anyway; the sampled sites above are for all kinds together.'
      : '\nAllocation sites per kind were not tracked (`diagnose: { sites: false }`): without that option the ' +
        're-run records where each object is allocated (slower) and every kind above names its site.'
  return `${head}\n${lines.join('\n')}${note}${untracked}${snapshot}`
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
