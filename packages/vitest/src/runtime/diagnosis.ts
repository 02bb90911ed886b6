import { rmSync } from 'node:fs'
import { relative } from 'node:path'
import { formatSize, type LeakDiagnosis, startLeakTracking } from '@memgate/core'
import type { Test } from '@vitest/runner'
import { artifactPath } from './artifact.js'
import { kindFilter, type LeakIgnore } from './leak-filter.js'
import type { RuntimeSettings } from './settings.js'

/** How many kinds a failure lists, and how many of them get a retainer path. */
const GROUPS_SHOWN = 8
const PATHS_SHOWN = 5
const MIN_SHOWN_BYTES = 1000

export interface BodyDiagnosis {
  diagnosis?: LeakDiagnosis
  /** What the re-run threw, or why the diagnosis could not be made. */
  error?: unknown
}

/**
 * Runs the body once more between two heap snapshots (core's leak tracking) and diagnoses what it left.
 * Called only after every measurement of the test stopped: a measurement's sampler closing its inspector
 * session makes V8 forget the object ids the first snapshot marked.
 */
export async function diagnoseBody(
  test: Test,
  body: () => unknown,
  settings: RuntimeSettings,
  ignore: LeakIgnore | undefined,
): Promise<BodyDiagnosis> {
  const snapshotPath = artifactPath(test, settings, 'heapsnapshot')
  rmSync(snapshotPath, { force: true })
  let tracking: Awaited<ReturnType<typeof startLeakTracking>> | undefined
  try {
    tracking = await startLeakTracking()
    try {
      await body()
    } catch (error) {
      return { error: new Error(`the test body threw when run again: ${(error as Error)?.message ?? error}`) }
    }
    const diagnosis = tracking.diagnose({
      snapshotPath,
      paths: PATHS_SHOWN,
      limit: GROUPS_SHOWN,
      ...(ignore ? { ignore: kindFilter(ignore) } : {}),
    })
    return { diagnosis }
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
  const shown = diagnosis.groups.filter((group) => group.bytes >= MIN_SHOWN_BYTES)
  const lines = shown.map((group) => {
    const count = group.count > 0 ? `${group.count.toLocaleString('en-US')} new` : 'grown, none new'
    const line = `  ${formatSize(group.bytes).padStart(9)}  ${group.kind} (${count})`
    return group.retainerPath ? `${line}\n${' '.repeat(13)}held by ${group.retainerPath}` : line
  })
  const restCount = diagnosis.count - shown.reduce((sum, group) => sum + group.count, 0)
  const restBytes = diagnosis.bytes - shown.reduce((sum, group) => sum + group.bytes, 0)
  if (lines.length === 0) lines.push('  (no kind of 1 kB or more)')
  if (restBytes > 0)
    lines.push(
      `  … and ${formatSize(restBytes)} in ${restCount.toLocaleString('en-US')} objects of smaller or further kinds`,
    )
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
  return `${head}\n${lines.join('\n')}${note}${snapshot}`
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}
