import { type SiteOptions, TraceSites } from '../heap/allocation-traces.js'
import { groupNewObjects, type LeakGroup } from '../heap/groups.js'
import { buildRetainerGraph, closureOf, formatRetainerPath } from '../heap/retainers.js'
import type { HeapProfilerSession, RetainerGraph, VariableNamer } from '../heap/types.js'
import { now } from '../v8/clock.js'
import { collectGarbage } from '../v8/gc.js'

export interface LeakDiagnosis {
  /** Largest first. */
  groups: LeakGroup[]
  /** Of every group kept after filtering. */
  count: number
  bytes: number
  /** The part of `bytes` outside the JS heap: the contents of new Buffers, typed arrays and ArrayBuffers. */
  externalBytes: number
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
}

/** Full GC, snapshot, and the objects above `mark` still reachable, grouped, filtered and with paths. */
export function diagnose(
  session: HeapProfilerSession,
  mark: number,
  options: DiagnoseOptions,
): LeakDiagnosis {
  const startedAt = now()
  collectGarbage()
  const snapshotPath = options.snapshotPath
  const graph = buildRetainerGraph(session.snapshot(snapshotPath))
  const groups = groupNewObjects(graph, mark)
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
  const names = liveNamer(session, graph)
  for (const group of top.slice(0, options.paths ?? 5)) {
    const first = groups.get(group.kind)?.first
    if (first !== undefined) group.retainerPath = formatRetainerPath(graph, first, names)
  }
  return {
    groups: top,
    count: sum(kept, 'count'),
    bytes: sum(kept, 'bytes'),
    externalBytes: sum(kept, 'externalBytes'),
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
 * mirrors it makes are not in it.
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
  return (context, value) => {
    const closure = closureOf(graph, context)
    if (closure < 0) return undefined
    try {
      const { result } = session.post('HeapProfiler.getObjectByHeapObjectId', {
        objectId: id(closure),
        ...group,
      }) as { result: { objectId?: string } }
      const scopes = properties(result.objectId ?? '').internalProperties?.find(
        (p) => p.name === '[[Scopes]]',
      )
      if (!scopes?.value?.objectId) return undefined
      const wanted = id(value)
      for (const scope of properties(scopes.value.objectId).result.slice(0, 4)) {
        if (!scope.value?.objectId || scope.value.description === 'Global') continue
        for (const variable of properties(scope.value.objectId).result) {
          const objectId = variable.value?.objectId
          if (!objectId) continue
          const found = session.post('HeapProfiler.getHeapObjectId', { objectId }) as {
            heapSnapshotObjectId: string
          }
          if (found.heapSnapshotObjectId === wanted) return variable.name
        }
      }
      return undefined
    } catch {
      return undefined
    } finally {
      session.post('Runtime.releaseObjectGroup', group)
    }
  }
}
