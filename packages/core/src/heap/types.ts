import type { SnapshotStrings } from './strings.js'

// The shapes the heap modules share: a parsed snapshot, its retainer graph, the session that takes snapshots.

/**
 * A parsed V8 heap snapshot (the `.heapsnapshot` format): flat `nodes` and `edges` arrays whose record layout
 * is given by `snapshot.meta`, and the `strings` they index into.
 */
export interface HeapSnapshot {
  nodes: ArrayLike<number>
  edges: ArrayLike<number>
  /** Decoded on first use: `strings.get(index)`. */
  strings: SnapshotStrings
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
  /** Where the functions' code is, when the snapshot has `locations` (V8 writes them from Node 12 on). */
  locations?: CodeLocations
}

/**
 * The code locations of the snapshot's functions (its `closure` nodes), ascending by node: the node's ordinal,
 * and the 0-based line and column where its code starts in its script.
 */
export interface CodeLocations {
  nodes: Uint32Array
  lines: Uint32Array
  columns: Uint32Array
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

/**
 * The graph of a snapshot with, for every node, the edge by which a shortest path from the GC roots reaches
 * it: one breadth-first search forward from the root (all shortest retainer paths at once, the same paths a
 * search backwards from each node over reversed edges would find) over every strong edge (weak edges do not retain), not expanding
 * V8's compiled code and object shapes (they hold everything their code ever touched, which is not what keeps
 * a user's object alive in any sense the user can act on).
 */
export interface RetainerGraph {
  snapshot: HeapSnapshot
  /** Index into `snapshot.edges` of each node's first edge (node ordinal → edge offset). */
  firstEdge: Uint32Array
  /** Ordinal of the node a shortest path comes from, -1 for the root and for nodes no path reaches. */
  parent: Int32Array
  /** Offset in `snapshot.edges` of that path's last edge. */
  via: Int32Array
  /**
   * 1 for a node that only Node's own bookkeeping reaches (the source map it keeps of a module a loader
   * transformed): its shortest path goes through such an edge, taken after every other.
   */
  nodeOwn: Uint8Array
}

/**
 * Names the variable of a context (a scope) that holds a value: `(context, value)` → the name, or undefined
 * if it cannot tell. Given by whoever can ask the live heap (core's diagnosis asks the inspector).
 */
export type VariableNamer = (context: number, value: number) => string | undefined

/** An inspector session on this thread with the heap profiler enabled. It answers synchronously. */
export interface HeapProfilerSession {
  post(method: string, params?: object): unknown
  /**
   * Takes a heap snapshot (GC first if garbage should not be in it), written to `path` (a `.heapsnapshot`,
   * for DevTools → Memory → Load) if given, else to a scratch file removed after, and parses it in chunks:
   * the JSON text is never held whole. Read to `'nodes'`, only the header and the nodes are read (no
   * edges, no strings): enough for the ids it holds.
   */
  snapshot(path?: string, extent?: 'all' | 'nodes'): HeapSnapshot
  /**
   * Starts V8's heap object tracking, with allocation stacks if `allocations`: snapshots taken until
   * `close()` then carry the stack that allocated each object made meanwhile. Each call (also while
   * tracking) walks the heap after a full GC and gives every object alive that has no id yet the next ones;
   * from the first call on, V8 also walks it every 50 ms while the event loop turns.
   */
  trackObjects(allocations: boolean): void
  /** Disconnects. V8 then stops tracking and forgets the heap object ids it assigned. */
  close(): void
}
