import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { Session } from 'node:inspector'
import { dirname } from 'node:path'
import { postNow } from '../v8/inspector.js'
import { SnapshotParser } from './parser.js'

/**
 * A parsed V8 heap snapshot (the `.heapsnapshot` format): flat `nodes` and `edges` arrays whose record layout
 * is given by `snapshot.meta`, and the `strings` they index into.
 */
export interface HeapSnapshot {
  nodes: ArrayLike<number>
  edges: ArrayLike<number>
  strings: string[]
  nodeTypes: string[]
  edgeTypes: string[]
  /** Numbers per node record and per edge record. */
  nodeFields: number
  edgeFields: number
  /** Offsets of the fields memgate reads, within a record (-1 if the snapshot has no such field). */
  node: { type: number; name: number; id: number; selfSize: number; edgeCount: number; traceNodeId: number }
  edge: { type: number; nameOrIndex: number; toNode: number }
  nodeCount: number
  /** The allocation stacks, when V8 tracked allocations while it took the snapshot. */
  traces?: AllocationTraces
}

/**
 * The call stacks V8 saw allocate (`trace_function_infos` and `trace_tree`), when a snapshot is taken while
 * it tracks allocations: a node's `trace_node_id` is the tree node of the stack that allocated it (0: none).
 */
export interface AllocationTraces {
  /** `trace_function_infos`, flat: `functionFields` numbers per function. */
  functions: ArrayLike<number>
  functionFields: number
  /** Offsets within a function record; `name` and `scriptName` index `strings`, `line` and `column` are 1-based (0: unknown). */
  function: { name: number; scriptName: number; line: number; column: number }
  /** The tree's nodes in document order: id, function record index, index of the parent node (-1 at the root). */
  ids: Uint32Array
  functionIndex: Uint32Array
  parent: Int32Array
}

/** An inspector session on this thread with the heap profiler enabled. It answers synchronously. */
export interface HeapProfilerSession {
  post(method: string, params?: object): unknown
  /** Subscribes to a protocol event (e.g. `HeapProfiler.lastSeenObjectId`) until `close()`. */
  on(event: string, listener: (params: Record<string, unknown>) => void): void
  /**
   * Takes a heap snapshot (GC first if garbage should not be in it) and parses it as it streams in, also
   * writing it to `path` (a `.heapsnapshot`, for DevTools → Memory → Load) if given. The JSON text is never
   * held whole.
   */
  snapshot(path?: string): HeapSnapshot
  /**
   * Starts V8's heap object tracking, with allocation stacks if `allocations`: snapshots taken until
   * `close()` then carry the stack that allocated each object made meanwhile.
   */
  trackObjects(allocations: boolean): void
  /** Disconnects. V8 then stops tracking and forgets the heap object ids it assigned. */
  close(): void
}

export function openHeapProfiler(): HeapProfilerSession {
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object): unknown => postNow(session, method, params)
  // Made once, before any leak tracking's mark: nothing new is reachable from here while a snapshot is taken.
  const parser = new SnapshotParser()
  let file: number | undefined
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => {
    if (file !== undefined) writeSync(file, message.params.chunk)
    parser.push(message.params.chunk)
  })
  try {
    post('HeapProfiler.enable')
  } catch (error) {
    session.disconnect()
    throw error
  }
  return {
    post,
    on(event, listener) {
      session.on(event, (message: { params: Record<string, unknown> }) => listener(message.params))
    },
    snapshot(path) {
      parser.reset()
      if (path) {
        mkdirSync(dirname(path), { recursive: true })
        file = openSync(path, 'w')
      }
      try {
        // The chunks arrive as events while the call runs, synchronously on this thread.
        post('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
        return parser.end()
      } finally {
        if (file !== undefined) closeSync(file)
        file = undefined
      }
    },
    trackObjects(allocations) {
      post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: allocations })
    },
    close: () => session.disconnect(),
  }
}

/** Parses the JSON text of a `.heapsnapshot`. */
export function parseHeapSnapshot(json: string): HeapSnapshot {
  const parser = new SnapshotParser()
  parser.push(json)
  return parser.end()
}
