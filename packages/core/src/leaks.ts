import { now } from './clock.js'
import { MemgateError } from './errors.js'
import { collectGarbage } from './gc.js'
import {
  buildRetainerGraph,
  formatRetainerPath,
  nodeName,
  nodeType,
  type RetainerGraph,
} from './retainers.js'
import {
  type HeapProfilerSession,
  type HeapSnapshot,
  openHeapProfiler,
  parseHeapSnapshot,
  writeHeapSnapshot,
} from './snapshot.js'

/** Objects of one kind that were created during the span and are still reachable after a full GC. */
export interface LeakGroup {
  /** Constructor or type: `Session`, `Map`, `retry()` (a closure), `(string)`, `(number)`. */
  kind: string
  /** New objects of this kind; 0 when only the backing store of older ones grew (an array that got longer). */
  count: number
  /** Sum of the objects' own sizes and of their new backing stores (not what they hold): what DevTools calls shallow size. */
  bytes: number
  /** A shortest path from a GC root to one of them, in developer terms (for the top groups only). */
  retainerPath?: string
}

export interface LeakDiagnosis {
  /** Largest first. */
  groups: LeakGroup[]
  /** Of every group kept after filtering. */
  count: number
  bytes: number
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
   * returns true for a group to ignore (a known cache).
   */
  ignore?: (string | RegExp)[] | ((group: LeakGroup) => boolean)
  /** Also write the end state as a `.heapsnapshot` to this path. */
  snapshotPath?: string
}

/** A running leak tracking: objects alive now are known, everything made later can be diagnosed. */
export interface LeakTracking {
  /** Full GC, heap snapshot, and the objects made since the start that are still alive, grouped. */
  diagnose(options?: DiagnoseOptions): LeakDiagnosis
  /** Stops tracking (V8 forgets its object ids). Call it once, also after a failure. */
  stop(): void
}

/** A new backing store of an object older than the mark counts from this size on. */
const OLD_OWNER_MIN_BYTES = 1024

// V8's own objects that are of type "object" in a snapshot but are not made by the user's code.
const SYSTEM_NAME = /^system \/|^\(|^Node \//
const USER_TYPES = new Set([
  'object',
  'closure',
  'regexp',
  'string',
  'concatenated string',
  'sliced string',
  'number',
  'bigint',
  'symbol',
])

export interface LeakTrackingOptions {
  /**
   * How objects alive at the start are marked. `'snapshot'` (default): one heap snapshot now, as slow as the
   * diagnosis (~0.4 s on a small heap, ~1.5 s for 10 MB of small objects), and nothing more until then.
   * `'tracking'`: V8's heap object tracking (a full GC and one walk of the heap, ~60 ms), but while the event
   * loop turns V8 then updates its ids every 50 ms (a full GC and a heap walk each time): fine for short or
   * synchronous spans, ruinous for long async ones on a large heap (35× slower on a 25 MB heap).
   */
  mark?: 'snapshot' | 'tracking'
}

/**
 * Starts leak tracking on this thread: marks the objects alive now, so that a later `diagnose()` reports only
 * objects made since. Its inspector session stays open until `stop()`; another session that uses the heap
 * profiler and closes meanwhile (a memgate measurement's sampler) makes V8 forget the marks, and `diagnose()`
 * then throws {@link LeakTrackingResetError}.
 */
export async function startLeakTracking(options: LeakTrackingOptions = {}): Promise<LeakTracking> {
  const { tracking, markBySnapshot, markByTracking } = open()
  if (options.mark === 'tracking') await markByTracking()
  else markBySnapshot()
  return tracking
}

/** A session and its tracking, not marked yet: everything memgate keeps for the span is made here. */
function open() {
  // The first GC of a thread makes `gc()` in a new context (a whole realm of builtins): not after the mark.
  collectGarbage()
  const session = openHeapProfiler()
  // Made before the mark, so V8 gives it an id then.
  ;(globalThis as { [SENTINEL]?: object })[SENTINEL] ??= {}
  let mark = -1
  let sentinel = ''
  let stopped = false
  const tracking: LeakTracking = {
    diagnose(diagnoseOptions = {}) {
      if (stopped) throw new Error('memgate: diagnose() called after stop()')
      if (sentinelId(session) !== sentinel) throw new LeakTrackingResetError()
      return diagnose(session, mark, diagnoseOptions)
    },
    stop() {
      if (stopped) return
      stopped = true
      session.close()
    },
  }
  const guarded = <T>(mark: () => T): T => {
    try {
      return mark()
    } catch (error) {
      tracking.stop()
      throw error
    }
  }
  return {
    tracking,
    markBySnapshot: () =>
      guarded(() => {
        collectGarbage()
        mark = maxObjectId(parseHeapSnapshot(session.snapshot()))
        sentinel = sentinelId(session)
      }),
    markByTracking: () =>
      guarded(() => {
        const first = new Promise<void>((resolve) => {
          session.on('HeapProfiler.lastSeenObjectId', (params) => {
            if (mark >= 0) return
            mark = params.lastSeenObjectId as number
            resolve()
          })
        })
        session.post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: false })
        sentinel = sentinelId(session)
        return first.catch((error: unknown) => {
          tracking.stop()
          throw error
        })
      }),
  }
}

/** The highest id of a heap object in a snapshot (native and synthetic nodes have ids of their own). */
function maxObjectId(snapshot: HeapSnapshot): number {
  let max = 0
  for (let n = 0; n < snapshot.nodeCount; n++) {
    const type = nodeType(snapshot, n)
    if (type === 'native' || type === 'synthetic') continue
    max = Math.max(max, snapshot.nodes[n * snapshot.nodeFields + snapshot.node.id] as number)
  }
  return max
}

const SENTINEL = Symbol.for('memgate.leaks.sentinel')

/**
 * The heap object id of an object that lives as long as the session holds it. It changes (or reads "0") if
 * V8 forgot its ids, which any other inspector session does when it closes with the heap profiler in use.
 */
function sentinelId(session: HeapProfilerSession): string {
  const { result } = session.post('Runtime.evaluate', {
    expression: "globalThis[Symbol.for('memgate.leaks.sentinel')]",
    objectGroup: 'memgate-leaks',
  }) as { result: { objectId: string } }
  try {
    const id = session.post('HeapProfiler.getHeapObjectId', { objectId: result.objectId })
    return (id as { heapSnapshotObjectId: string }).heapSnapshotObjectId
  } finally {
    session.post('Runtime.releaseObject', { objectId: result.objectId })
  }
}

/** V8 forgot its object ids while tracking: another inspector session closed with the heap profiler in use. */
export class LeakTrackingResetError extends MemgateError {
  constructor() {
    super(
      'MEMGATE_LEAK_TRACKING_RESET',
      'V8 forgot its heap object ids during leak tracking (another inspector session used the heap profiler ' +
        'and closed, e.g. a memgate measurement or a debugger), so objects made during the span cannot be ' +
        'told from older ones. Start leak tracking after the other session has closed, and do not measure ' +
        'inside a leak-tracked span.',
    )
  }
}

export interface DiagnoseLeaksOptions extends DiagnoseOptions, LeakTrackingOptions {
  /**
   * Runs of `fn` before tracking starts (default 0). One run fills lazy caches and one-time state, so what is
   * left after the tracked run is growth per call: a module cache filled once is not reported, one that grows
   * on every call is. Mind the side effects of running `fn` more than once.
   */
  warmup?: number
}

/**
 * Runs `fn` (sync or async) under leak tracking and diagnoses what it left behind. Between the mark and the
 * diagnosis nothing of memgate's own is awaited when `fn` is synchronous, so its own promises do not read as
 * leaks; for an async `fn` one promise of memgate's may (~100 B).
 */
export async function diagnoseLeaks(
  fn: () => unknown,
  options: DiagnoseLeaksOptions = {},
): Promise<LeakDiagnosis> {
  const { warmup = 0, mark, ...diagnoseOptions } = options
  for (let run = 0; run < warmup; run++) await fn()
  const { tracking, markBySnapshot, markByTracking } = open()
  if (mark === 'tracking') await markByTracking()
  else markBySnapshot()
  let result: unknown
  try {
    result = fn()
  } catch (error) {
    tracking.stop()
    throw error
  }
  const finish = () => {
    try {
      return tracking.diagnose(diagnoseOptions)
    } finally {
      tracking.stop()
    }
  }
  if (!isThenable(result)) return finish()
  return Promise.resolve(result).then(finish, (error: unknown) => {
    tracking.stop()
    throw error
  })
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

function diagnose(session: HeapProfilerSession, mark: number, options: DiagnoseOptions): LeakDiagnosis {
  const startedAt = now()
  collectGarbage()
  const json = session.snapshot()
  const snapshotPath = options.snapshotPath ? writeHeapSnapshot(options.snapshotPath, json) : undefined
  const snapshot = parseHeapSnapshot(json)
  const graph = buildRetainerGraph(snapshot)
  const groups = groupNewObjects(graph, mark)
  const ignore = options.ignore
  const ignored = (group: LeakGroup): boolean =>
    typeof ignore === 'function'
      ? ignore(group)
      : (ignore ?? []).some((kind) =>
          typeof kind === 'string' ? kind === group.kind : kind.test(group.kind),
        )
  const kept = [...groups.values()]
    .map((entry) => entry.group)
    .filter((group) => group.bytes >= (options.minBytes ?? 0) && !ignored(group))
    .sort((a, b) => b.bytes - a.bytes)
  const top = kept.slice(0, options.limit ?? 20)
  for (const group of top.slice(0, options.paths ?? 5)) {
    const first = groups.get(group.kind)?.first
    if (first !== undefined) group.retainerPath = formatRetainerPath(graph, first)
  }
  return {
    groups: top,
    count: kept.reduce((sum, group) => sum + group.count, 0),
    bytes: kept.reduce((sum, group) => sum + group.bytes, 0),
    ...(snapshotPath ? { snapshotPath } : {}),
    durationMs: now() - startedAt,
  }
}

/**
 * New objects (id above the mark) that a user's code made and a path from the roots reaches, by kind. V8's
 * own objects (code, shapes, feedback, internal arrays, native wrappers) are left out, so that code running for
 * the first time reports nothing.
 */
function groupNewObjects(graph: RetainerGraph, mark: number) {
  const { snapshot } = graph
  const groups = new Map<string, { group: LeakGroup; first: number }>()
  const add = (kind: string, n: number, bytes: number, count: number) => {
    const entry = groups.get(kind)
    if (entry) {
      entry.group.count += count
      entry.group.bytes += bytes
      if (entry.group.count === count && count > 0) entry.first = n
    } else groups.set(kind, { group: { kind, count, bytes }, first: n })
  }
  for (let n = 0; n < snapshot.nodeCount; n++) {
    const base = n * snapshot.nodeFields
    if ((snapshot.nodes[base + snapshot.node.id] as number) <= mark) continue
    const parent = graph.parent[n] as number
    // Unreachable, or held directly by the running stack or a handle (in use right now, not left behind).
    if (parent < 0 || nodeType(snapshot, parent) === 'synthetic') continue
    const bytes = snapshot.nodes[base + snapshot.node.selfSize] as number
    const type = nodeType(snapshot, n)
    if (!USER_TYPES.has(type)) {
      // A backing store (elements, properties, hash table) counts for the user object it belongs to: a new
      // one for an old array that grew, or the megabyte behind a new array's 32-byte header.
      // Small rehashes of older maps (Node's and Vitest's own bookkeeping does that all the time) are not.
      const parentIsNew = (snapshot.nodes[parent * snapshot.nodeFields + snapshot.node.id] as number) > mark
      if (
        (type === 'array' || type === 'hidden') &&
        (parentIsNew || bytes >= OLD_OWNER_MIN_BYTES) &&
        isUserObject(snapshot, parent)
      )
        add(kindOf(nodeType(snapshot, parent), nodeName(snapshot, parent)), parent, bytes, 0)
      continue
    }
    const name = nodeName(snapshot, n)
    if (type === 'object' && SYSTEM_NAME.test(name)) continue
    add(kindOf(type, name), n, bytes, 1)
  }
  return groups
}

function isUserObject(snapshot: HeapSnapshot, n: number): boolean {
  const type = nodeType(snapshot, n)
  return (type === 'object' || type === 'closure') && !SYSTEM_NAME.test(nodeName(snapshot, n))
}

function kindOf(type: string, name: string): string {
  if (type === 'closure') return `${name || 'anonymous'}()`
  if (type === 'object' || type === 'regexp') return name || `(${type})`
  if (type.endsWith('string')) return '(string)'
  return `(${type})`
}
