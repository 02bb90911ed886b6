import { type SiteOptions, TraceSites } from '../heap/allocation-traces.js'
import { groupNewObjects, type LeakGroup } from '../heap/groups.js'
import { buildRetainerGraph, type CodeLocator, closureOf, formatRetainerPath } from '../heap/retainers.js'
import { lastSnapshotTimes } from '../heap/snapshot.js'
import type { HeapProfilerSession, RetainerGraph, VariableNamer } from '../heap/types.js'
import { now } from '../v8/clock.js'

export interface LeakDiagnosis {
  /** Largest first. */
  groups: LeakGroup[]
  /** Of every group kept after filtering. */
  count: number
  bytes: number
  /** The part of `bytes` outside the JS heap: the contents of new Buffers, typed arrays and ArrayBuffers. */
  externalBytes: number
  /**
   * New objects that only Node's own bookkeeping holds, in no group and not in `count` or `bytes`: its ES
   * module loader's caches, and the source maps Node keeps of the modules a loader (tsx) transformed, when
   * source maps are on.
   */
  nodeOwn: { count: number; bytes: number }
  /** What `ignore` left out: objects, bytes, the kinds of the groups it matched and those groups (largest first). */
  ignored: { count: number; bytes: number; kinds: string[]; groups: LeakGroup[] }
  /**
   * Whether V8 tracked the allocations of the span, so that groups carry their allocation `sites`
   * (`trackAllocations`, default true).
   */
  sitesTracked: boolean
  /** Where the `.heapsnapshot` was written, if asked. */
  snapshotPath?: string
  /** What the diagnosis took (GC, snapshot, analysis), in ms. */
  durationMs: number
}

export interface DiagnoseOptions {
  /** How many groups get a retainer path (each costs little; the graph is built once). Default 5. */
  paths?: number
  /** How many groups to return at most. Default 20. */
  limit?: number
  /** Groups below this many bytes are left out. Default 0. */
  minBytes?: number
  /**
   * Groups to leave out, like pytest-memray's `filter_fn`: kinds (exact name or RegExp), or a predicate that
   * returns true for a group to ignore (a known cache). The predicate sees the group's allocation `sites`
   * (all of them, when allocations were tracked) and no retainer path yet.
   */
  ignore?: (string | RegExp)[] | ((group: LeakGroup) => boolean)
  /** How many allocation sites each group keeps, with how many frames, and which frames show. */
  sites?: SiteOptions
  /** Also write the end state as a `.heapsnapshot` to this path. */
  snapshotPath?: string
  /**
   * Maps where a function's code starts (its script's URL or path, 1-based line and column), as a retainer
   * path names the closure that holds an object, to its source: memgate's Vitest plugin and CLI pass their
   * source maps. Default: the location in the code V8 ran.
   */
  locate?: CodeLocator
}

/**
 * Where the last leak tracking of this thread spent its time, in ms, phase by phase (indices: {@link PHASE}):
 * for the benchmark's breakdown (bench/leak-diagnosis.bench.ts), not part of the API. A typed array:
 * recording a time allocates nothing that a diagnosis could see.
 */
export const phaseTimes = new Float64Array(8)
export const PHASE = {
  /** `startLeakTracking()`'s mark: V8's walks, or a snapshot's ids. */
  mark: 0,
  /** V8 writing the end snapshot: its full GCs, the graph, the JSON written to the file. */
  snapshot: 1,
  /** Reading the file back into typed arrays. */
  parse: 2,
  /** The breadth-first search from the roots: every node's shortest retainer path. */
  retainers: 3,
  /** The new objects by kind. */
  groups: 4,
  /** Allocation sites of every group. */
  sites: 5,
  /** Retainer paths of the top groups, less `names`. */
  paths: 6,
  /** Asking the live heap for variable names (the inspector), for the paths. */
  names: 7,
} as const

/**
 * Snapshot, and the objects above `mark` still reachable, grouped, filtered and with paths. V8 collects all
 * garbage itself before it takes the snapshot (full GCs until one frees nothing more), so none is forced
 * here first.
 */
export function diagnose(
  session: HeapProfilerSession,
  mark: number,
  options: DiagnoseOptions,
): LeakDiagnosis {
  const startedAt = now()
  const snapshotPath = options.snapshotPath
  const snapshot = session.snapshot(snapshotPath)
  phaseTimes[PHASE.snapshot] = lastSnapshotTimes[0] as number
  phaseTimes[PHASE.parse] = lastSnapshotTimes[1] as number
  let at = now()
  const lap = (phase: number) => {
    const time = now()
    phaseTimes[phase] = time - at
    at = time
  }
  const graph = buildRetainerGraph(snapshot)
  lap(PHASE.retainers)
  const nodeOwn = { count: 0, bytes: 0 }
  const groups = groupNewObjects(graph, mark, nodeOwn)
  lap(PHASE.groups)
  const traces = graph.snapshot.traces
  if (traces) {
    const sites = new TraceSites(graph.snapshot, traces, options.sites)
    // Every site first, so that an ignore predicate judges the whole group; then the kept ones.
    for (const entry of groups.values())
      entry.group.sites = entry.traces ? sites.top(entry.traces, Number.POSITIVE_INFINITY) : []
  }
  const ignore = options.ignore
  const ignored = (group: LeakGroup): boolean =>
    typeof ignore === 'function'
      ? ignore(group)
      : (ignore ?? []).some((kind) =>
          typeof kind === 'string' ? kind === group.kind : kind.test(group.kind),
        )
  const all = [...groups.values()].map((entry) => entry.group).sort((a, b) => b.bytes - a.bytes)
  const left = all.filter(ignored)
  const kept = all.filter((group) => group.bytes >= (options.minBytes ?? 0) && !left.includes(group))
  const top = kept.slice(0, options.limit ?? 20)
  const siteLimit = options.sites?.limit ?? 3
  for (const group of [...top, ...left]) if (group.sites) group.sites = group.sites.slice(0, siteLimit)
  lap(PHASE.sites)
  let naming = 0
  const live = liveNamer(session, graph)
  const names: VariableNamer = (context, value) => {
    const asked = now()
    try {
      return live(context, value)
    } finally {
      naming += now() - asked
    }
  }
  for (const group of top.slice(0, options.paths ?? 5)) {
    const first = groups.get(group.kind)?.first
    if (first !== undefined) group.retainerPath = formatRetainerPath(graph, first, names, options.locate)
  }
  lap(PHASE.paths)
  phaseTimes[PHASE.paths] = (phaseTimes[PHASE.paths] as number) - naming
  phaseTimes[PHASE.names] = naming
  return {
    groups: top,
    count: sum(kept, 'count'),
    bytes: sum(kept, 'bytes'),
    externalBytes: sum(kept, 'externalBytes'),
    nodeOwn,
    ignored: {
      count: sum(left, 'count'),
      bytes: sum(left, 'bytes'),
      kinds: left.map((group) => group.kind),
      groups: left,
    },
    sitesTracked: traces !== undefined,
    ...(snapshotPath ? { snapshotPath } : {}),
    durationMs: now() - startedAt,
  }
}

function sum(groups: LeakGroup[], field: 'count' | 'bytes' | 'externalBytes'): number {
  return groups.reduce((total, group) => total + group[field], 0)
}

/**
 * Asks the live heap which variable of a scope holds a value: the scope's variables as the debugger lists
 * them (through a function whose scope it is), matched by heap object id. Run after the snapshot, so the
 * mirrors it makes are not in it. Finding the function by its id is V8 marking and walking the whole heap
 * (`HeapProfiler.getObjectByHeapObjectId`), so each scope is asked once per diagnosis: the ids of all its
 * variables are kept, and the other paths through the same scope (a module's, mostly) ask nothing more.
 */
function liveNamer(session: HeapProfilerSession, graph: RetainerGraph): VariableNamer {
  const { snapshot } = graph
  const id = (n: number) => String(snapshot.nodes[n * snapshot.nodeFields + snapshot.node.id])
  const group = { objectGroup: 'memgate-names' }
  type Properties = {
    result: { name: string; value?: { objectId?: string; description?: string } }[]
    internalProperties?: { name: string; value?: { objectId?: string } }[]
  }
  const properties = (objectId: string) =>
    session.post('Runtime.getProperties', { objectId, ownProperties: true, ...group }) as Properties
  /** Heap object id → the first variable (in the debugger's order) that holds it, by context node. */
  const scopes = new Map<number, Map<string, string> | undefined>()
  const variablesOf = (context: number): Map<string, string> | undefined => {
    const closure = closureOf(graph, context)
    if (closure < 0) return undefined
    try {
      const { result } = session.post('HeapProfiler.getObjectByHeapObjectId', {
        objectId: id(closure),
        ...group,
      }) as { result: { objectId?: string } }
      const chain = properties(result.objectId ?? '').internalProperties?.find((p) => p.name === '[[Scopes]]')
      if (!chain?.value?.objectId) return undefined
      const variables = new Map<string, string>()
      for (const scope of properties(chain.value.objectId).result.slice(0, 4)) {
        if (!scope.value?.objectId || scope.value.description === 'Global') continue
        for (const variable of properties(scope.value.objectId).result) {
          const objectId = variable.value?.objectId
          if (!objectId) continue
          const found = session.post('HeapProfiler.getHeapObjectId', { objectId }) as {
            heapSnapshotObjectId: string
          }
          if (!variables.has(found.heapSnapshotObjectId))
            variables.set(found.heapSnapshotObjectId, variable.name)
        }
      }
      return variables
    } catch {
      return undefined
    } finally {
      session.post('Runtime.releaseObjectGroup', group)
    }
  }
  return (context, value) => {
    if (!scopes.has(context)) scopes.set(context, variablesOf(context))
    return scopes.get(context)?.get(id(value))
  }
}
