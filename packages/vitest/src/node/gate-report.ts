import { existsSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import type { TestCase, TestModule } from 'vitest/node'
import { type BaselineEntry, type Comparison, compare, gatedFigures, testId } from '../runtime/gate.js'
import { isMeasuredResult, type MeasuredResult } from '../runtime/result.js'
import { byCodePoint } from './baseline.js'
import type { GateRegistry, ProjectGate } from './gate-config.js'

/** A measured test, compared with its baseline entry. */
export interface GateRow {
  id: string
  state: string
  current: BaselineEntry
  baseline: BaselineEntry | null
  /** `grew`: beyond the tolerance (the gate failed it, if it passed otherwise); `new`: not in the baseline. */
  verdict: 'grew' | 'shrank' | 'same' | 'new'
  comparisons: Comparison[]
  /** The test failed, and only by the gate's own checks. */
  failedByGate: boolean
}

/** The gate's findings for one baseline file. */
export interface GateReport {
  file: string
  path: string
  tolerance: number
  floor: number
  /** Measured tests by id. */
  tests: GateRow[]
  /**
   * Tests under a limit that a baseline would gate: the measured ones, and those that passed on their
   * ceiling alone (read so only while there is no baseline to compare with).
   */
  gateable: number
  /** Ids of measured tests not in the baseline (renamed ones left out). */
  new: string[]
  /** Baseline entries whose test is gone, or no longer measured. */
  removed: { id: string; reason: string }[]
  renamed: { from: string; to: string }[]
  /** What an update run writes: `undefined` when the run may not change the file. */
  next: Record<string, BaselineEntry> | undefined
}

// Codes of the failures the gate itself adds to a test.
const GATE_CODES = new Set(['MEMGATE_REGRESSION', 'MEMGATE_NOT_IN_BASELINE'])

interface Seen {
  test: TestCase
  /** The figures to record; the largest when several tests share an id. */
  current: BaselineEntry | undefined
}

/** Compares a run's measured tests with each baseline file, and works out the new content of an update. */
export function gateReports(modules: readonly TestModule[], registry: GateRegistry): GateReport[] {
  const groups = new Map<string, ProjectGate[]>()
  for (const gate of registry.projects.values())
    groups.set(gate.path, [...(groups.get(gate.path) ?? []), gate])
  return [...groups.values()].map((gates) => report(gates, modules, registry))
}

function report(gates: ProjectGate[], modules: readonly TestModule[], registry: GateRegistry): GateReport {
  const [first] = gates as [ProjectGate, ...ProjectGate[]]
  const byProject = new Map(gates.map((gate) => [gate.project, gate]))
  const seen = new Map<string, Seen>()
  const gateable = new Set<string>()
  // Files that ran and were collected: an entry of one of them that no test matches is gone.
  const collected = new Set<string>()
  for (const module of modules) {
    const gate = byProject.get(module.project.name)
    if (!gate) continue
    const file = relative(gate.root, module.moduleId)
    if (module.errors().length === 0) collected.add(testId(gate.project, file, ''))
    for (const test of module.children.allTests()) {
      const id = testId(gate.project, file, test.fullName)
      const result = test.meta().memgateResult
      // A test that timed out has no figures to compare or record: it keeps its entry, as a failed test does.
      const current =
        result && isMeasuredResult(result) ? larger(seen.get(id)?.current, result) : seen.get(id)?.current
      seen.set(id, { test, current })
      if (result && (isMeasuredResult(result) || result.measured === 'ceiling')) gateable.add(id)
    }
  }

  const baseline = first.baseline?.tests ?? {}
  const tolerance = { relative: first.options.tolerance, floor: first.options.floor }
  const tests: GateRow[] = []
  for (const [id, { test, current }] of seen) {
    if (!current) continue
    const entry = baseline[id]
    const comparisons = entry ? compare(current, entry, tolerance) : []
    const verdict = !entry
      ? 'new'
      : comparisons.some((c) => c.change === 'grew')
        ? 'grew'
        : comparisons.some((c) => c.change === 'shrank')
          ? 'shrank'
          : 'same'
    const state = test.result().state
    const failedByGate = state === 'failed' && isGateFailure(test)
    tests.push({ id, state, current, baseline: entry ?? null, verdict, comparisons, failedByGate })
  }
  tests.sort((a, b) => byCodePoint(a.id, b.id))

  const removed: GateReport['removed'] = []
  for (const id of Object.keys(baseline).sort(byCodePoint)) {
    const gate = projectOf(id, gates)
    if (!gate) continue
    const found = seen.get(id)
    if (found) {
      // Only a test that passed unmeasured is known to be no longer measured: one that failed may have failed
      // before its body ran, and keeps its entry.
      if (!found.current && found.test.result().state === 'passed')
        removed.push({ id, reason: 'no longer measured' })
      continue
    }
    const file = fileOf(id, gate)
    if (collected.has(testId(gate.project, file, ''))) removed.push({ id, reason: 'no longer in its file' })
    else if (!existsSync(resolve(gate.root, file))) removed.push({ id, reason: 'its file is gone' })
  }
  const added = tests.filter((row) => row.verdict === 'new').map((row) => row.id)
  const similar = (from: string, to: string) => {
    const before = baseline[from]
    const after = seen.get(to)?.current
    return !!before && !!after && compare(after, before, tolerance).every((c) => c.change === 'same')
  }
  const renamed = pairRenames(removed, added, gates, similar)
  const from = new Set(renamed.map((pair) => pair.from))
  const to = new Set(renamed.map((pair) => pair.to))

  return {
    file: first.file,
    path: first.path,
    tolerance: tolerance.relative,
    floor: tolerance.floor,
    tests,
    gateable: gateable.size,
    new: added.filter((id) => !to.has(id)),
    removed: removed.filter((entry) => !from.has(entry.id)),
    renamed,
    next: registry.update ? nextBaseline(baseline, tests, removed, registry.update === 'all') : undefined,
  }
}

/**
 * The baseline after an update: new tests added, removed ones dropped, and an entry rewritten only when its
 * figures moved beyond the tolerance (or with `MEMGATE_UPDATE=all`), so the diff shows what really changed.
 * A test that failed (other than by the gate) keeps its old entry: its figures are not those of a passing run.
 */
function nextBaseline(
  baseline: Record<string, BaselineEntry>,
  tests: GateRow[],
  removed: GateReport['removed'],
  all: boolean,
): Record<string, BaselineEntry> {
  const next = { ...baseline }
  for (const { id } of removed) delete next[id]
  for (const row of tests) {
    if (row.state !== 'passed' && !row.failedByGate) continue
    // Rewritten too when the gated figures changed (a limit added or taken away).
    if (all || row.verdict !== 'same' || !sameFigures(row.current, row.baseline)) next[row.id] = row.current
  }
  return next
}

/** Whether a failed test failed only because of the gate's own checks. */
export function isGateFailure(test: TestCase): boolean {
  const errors = test.result().errors ?? []
  return errors.length > 0 && errors.every((error) => GATE_CODES.has(String(error.code)))
}

function pairRenames(
  removed: GateReport['removed'],
  added: string[],
  gates: ProjectGate[],
  similar: (from: string, to: string) => boolean,
): GateReport['renamed'] {
  const pairs: GateReport['renamed'] = []
  const left = new Set(removed.map((entry) => entry.id))
  const fresh = new Set(added)
  // A rename is a guess, made only between figures within the tolerance of each other. In place: one test
  // gone from a file and one new in the same file.
  const byFile = new Map<string, { gone: string[]; added: string[] }>()
  const keyOf = (id: string) => {
    const gate = projectOf(id, gates)
    return gate ? testId(gate.project, fileOf(id, gate), '') : id
  }
  for (const id of left)
    byFile.set(keyOf(id), { gone: [...(byFile.get(keyOf(id))?.gone ?? []), id], added: [] })
  for (const id of fresh) byFile.get(keyOf(id))?.added.push(id)
  for (const { gone, added: candidates } of byFile.values()) {
    const [from] = gone
    const [to] = candidates
    if (gone.length === 1 && candidates.length === 1 && from && to && similar(from, to))
      pairs.push({ from, to })
  }
  for (const { from, to } of pairs) {
    left.delete(from)
    fresh.delete(to)
  }
  // Moved to another file under the same name, when that name is unique on both sides.
  const nameOf = (id: string) => {
    const gate = projectOf(id, gates)
    return gate ? `${gate.project}\0${id.slice(testId(gate.project, fileOf(id, gate), '').length)}` : id
  }
  for (const from of left) {
    const name = nameOf(from)
    const matches = [...fresh].filter((id) => nameOf(id) === name)
    const rivals = [...left].filter((id) => nameOf(id) === name)
    const [to] = matches
    if (to && matches.length === 1 && rivals.length === 1 && similar(from, to)) {
      pairs.push({ from, to })
      fresh.delete(to)
    }
  }
  return pairs.sort((a, b) => byCodePoint(a.from, b.from))
}

/** The project of a baseline id, among those sharing the file. */
function projectOf(id: string, gates: ProjectGate[]): ProjectGate | undefined {
  return gates.find((gate) => (gate.project ? id.startsWith(`|${gate.project}| `) : !id.startsWith('|')))
}

/** The test file of a baseline id, relative to its project's root. */
function fileOf(id: string, gate: ProjectGate): string {
  const rest = gate.project ? id.slice(gate.project.length + 3) : id
  const end = rest.indexOf(' > ')
  return end === -1 ? rest : rest.slice(0, end)
}

/** The test's gated figures; with several tests of one id, the larger of each. */
function larger(previous: BaselineEntry | undefined, result: MeasuredResult): BaselineEntry {
  const entry = gatedFigures(result)
  if (entry.peak !== undefined && previous?.peak !== undefined)
    entry.peak = Math.max(entry.peak, previous.peak)
  if (entry.leaked !== undefined && previous?.leaked !== undefined)
    entry.leaked = Math.max(entry.leaked, previous.leaked)
  return entry
}

function sameFigures(a: BaselineEntry, b: BaselineEntry | null): boolean {
  return (
    !!b &&
    (a.peak === undefined) === (b.peak === undefined) &&
    (a.leaked === undefined) === (b.leaked === undefined)
  )
}
