// Where a leak diagnosis spends its time, phase by phase, on the heap of the process that runs it: the
// leak-diagnosis benchmark runs it on heaps it builds, and inside a real Vitest fork worker
// (bench/worker/phases.test.ts) on a worker's own heap. It loads the built package (dist/).
import { closeSync, openSync, readSync, rmSync } from 'node:fs'
import { getHeapSnapshot, getHeapStatistics } from 'node:v8'
import type * as Snapshot from '../src/heap/snapshot.js'
import type * as Core from '../src/index.js'
import type * as Diagnosis from '../src/leaks/diagnosis.js'

const dist = new URL('../dist/', import.meta.url)
const core: typeof Core = await import(new URL('index.js', dist).href)
const diagnosisModule: typeof Diagnosis = await import(new URL('leaks/diagnosis.js', dist).href)
const snapshotModule: typeof Snapshot = await import(new URL('heap/snapshot.js', dist).href)
const { phaseTimes, PHASE } = diagnosisModule

export type Phase = keyof typeof PHASE
export const PHASES = Object.keys(PHASE) as Phase[]

/** One diagnosed run: `startLeakTracking()`, the body, `diagnose()` with the snapshot written to a file. */
export interface Round {
  sites: boolean
  /** The whole `startLeakTracking()` call (the mark, and opening the session). */
  startMs: number
  bodyMs: number
  /** What the diagnosis reports as its duration (what a failure prints as "took"). */
  diagnoseMs: number
  phases: Record<Phase, number>
  /** The top two groups found. */
  groups: string
  /** Of the end snapshot. */
  nodes: number
  edges: number
  snapshotBytes: number
}

/** What V8 takes on this heap whatever memgate does: a full GC, and generating a snapshot. */
export interface Floor {
  /** JS heap used after a full GC. */
  heapUsed: number
  /** One full GC (half of `collectGarbage()`, which runs two), median. */
  gcMs: number
  /** V8 generating a snapshot of this heap and nothing else (its stream never read), median. */
  generationMs: number
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** The floor on the current heap: `times` full GCs and as many snapshot generations. */
export function floor(times: number): Floor {
  const gcs: number[] = []
  const generations: number[] = []
  for (let i = 0; i < times; i++) {
    let at = performance.now()
    core.collectGarbage()
    gcs.push((performance.now() - at) / 2)
    at = performance.now()
    getHeapSnapshot().destroy()
    generations.push(performance.now() - at)
  }
  // The snapshot V8 kept for each destroyed stream goes with its wrapper.
  core.collectGarbage()
  return {
    heapUsed: getHeapStatistics().used_heap_size,
    gcMs: median(gcs),
    generationMs: median(generations),
  }
}

/** `node_count` and `edge_count` from the header of a `.heapsnapshot`. */
function counts(path: string): { nodes: number; edges: number } {
  const file = openSync(path, 'r')
  const head = Buffer.alloc(4096)
  const read = readSync(file, head)
  closeSync(file)
  const text = head.toString('latin1', 0, read)
  const number = (name: string) => Number(new RegExp(`"${name}":(\\d+)`).exec(text)?.[1] ?? Number.NaN)
  return { nodes: number('node_count'), edges: number('edge_count') }
}

/** One diagnosed run of `body`, as a failing leak check makes it; the snapshot is written to `path`, then removed. */
export async function diagnosedRound(body: () => unknown, sites: boolean, path: string): Promise<Round> {
  const startedAt = performance.now()
  const tracking = await core.startLeakTracking({ trackAllocations: sites })
  try {
    const bodyAt = performance.now()
    await body()
    const bodyMs = performance.now() - bodyAt
    const diagnosis = tracking.diagnose({ snapshotPath: path })
    const phases = Object.fromEntries(PHASES.map((phase) => [phase, phaseTimes[PHASE[phase]] as number]))
    return {
      sites,
      startMs: bodyAt - startedAt,
      bodyMs,
      diagnoseMs: diagnosis.durationMs,
      phases: phases as Record<Phase, number>,
      groups: diagnosis.groups
        .slice(0, 2)
        .map((group) => {
          const frame = group.sites?.[0]?.stack[0]
          return `${group.kind} ×${group.count}${frame ? ` at ${frame.functionName}` : ''}`
        })
        .join(', '),
      ...counts(path),
      snapshotBytes: snapshotModule.lastSnapshotTimes[2] as number,
    }
  } finally {
    tracking.stop()
    rmSync(path, { force: true })
  }
}

/** A heap's floor and `rounds` diagnosed runs with sites on and as many with them off, alternating. */
export interface Breakdown extends Floor {
  rounds: Round[]
}

export async function breakdown(
  body: () => unknown,
  reset: () => void,
  rounds: number,
  path: string,
): Promise<Breakdown> {
  const measured = floor(3)
  const done: Round[] = []
  for (let round = 0; round < 2 * rounds; round++) {
    done.push(await diagnosedRound(body, round % 2 === 0, path))
    reset()
  }
  return { ...measured, rounds: done }
}

const total = (round: Round) => round.startMs + round.bodyMs + round.diagnoseMs

/** The medians of the rounds with sites on or off. */
export function medians(rounds: Round[], sites: boolean) {
  const of = rounds.filter((round) => round.sites === sites)
  const pick = (value: (round: Round) => number) => median(of.map(value))
  return {
    rounds: of.length,
    startMs: pick((round) => round.startMs),
    bodyMs: pick((round) => round.bodyMs),
    diagnoseMs: pick((round) => round.diagnoseMs),
    phases: Object.fromEntries(
      PHASES.map((phase) => [phase, pick((round) => round.phases[phase])]),
    ) as Record<Phase, number>,
    /** What the diagnosis adds to a failing test: the mark, the body run once more, the diagnosis. */
    totalMs: pick(total),
    /** The lowest and highest total of those rounds. */
    totalRange: [Math.min(...of.map(total)), Math.max(...of.map(total))] as const,
    groups: of.at(-1)?.groups ?? '',
    nodes: of.at(-1)?.nodes ?? 0,
    edges: of.at(-1)?.edges ?? 0,
    snapshotBytes: of.at(-1)?.snapshotBytes ?? 0,
  }
}
