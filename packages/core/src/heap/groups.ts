import type { AllocationSite } from '../measure/profile.js'
import { nodeName, nodeType } from './retainers.js'
import type { HeapSnapshot, RetainerGraph } from './types.js'

/** Objects of one kind that were created during the span and are still reachable after a full GC. */
export interface LeakGroup {
  /** Constructor or type: `Session`, `Map`, `retry()` (a closure), `(string)`, `(number)`. */
  kind: string
  /** New objects of this kind; 0 when only the backing store of older ones grew (an array that got longer). */
  count: number
  /**
   * Sum of the objects' own sizes and of their new backing stores (not what they hold): what DevTools calls
   * shallow size. For Buffers, typed arrays and ArrayBuffers it includes the memory of their contents, which
   * lives outside the JS heap (`externalBytes`).
   */
  bytes: number
  /** The part of `bytes` outside the JS heap: the backing stores of new ArrayBuffers (a Buffer's contents). */
  externalBytes: number
  /** A shortest path from a GC root to one of them, in developer terms (for the top groups only). */
  retainerPath?: string
  /**
   * Where its bytes were allocated, most first: the innermost shown frame of each stack, then its callers
   * (1-based lines; V8 records the allocating function, so a frame's line is where that function starts).
   * Only when the span tracked allocations (`trackAllocations`, the default); empty when none of its
   * objects was allocated in a shown frame.
   */
  sites?: AllocationSite[]
}

/**
 * A group and the snapshot node its retainer path leads to: the object that added most bytes to it (the
 * first of them on a tie), e.g. the long array rather than a small new one of the same kind.
 */
export interface GroupEntry {
  group: LeakGroup
  first: number
  firstBytes: number
  /** Whether `first` was made during the span: a new object is preferred to an older one that grew. */
  firstIsNew: boolean
  /** Bytes by allocation stack (`trace_node_id`), when the snapshot carries them. */
  traces?: Map<number, number>
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

/**
 * New objects (id above the mark) that a user's code made and a path from the roots reaches, by kind. V8's
 * own objects (code, shapes, feedback, internal arrays, native wrappers) are left out, so that code running for
 * the first time reports nothing. Those only Node's own bookkeeping reaches (`graph.nodeOwn`) are no kind:
 * they are counted in `nodeOwn`, if given.
 */
export function groupNewObjects(
  graph: RetainerGraph,
  mark: number,
  nodeOwn?: { count: number; bytes: number },
): Map<string, GroupEntry> {
  const { snapshot } = graph
  const groups = new Map<string, GroupEntry>()
  const traced = snapshot.traces !== undefined && snapshot.node.traceNodeId >= 0
  const isNew = (n: number) => (snapshot.nodes[n * snapshot.nodeFields + snapshot.node.id] as number) > mark
  // `made`: the node whose allocation stack counts (the backing store, for one that counts for its owner).
  const add = (kind: string, n: number, bytes: number, count: number, made: number, external = 0) => {
    let entry = groups.get(kind)
    const fresh = isNew(n)
    if (entry) {
      entry.group.count += count
      entry.group.bytes += bytes
      entry.group.externalBytes += external
      // The path shown leads to a new object of the kind (a leaked array, not an old list that grew by it).
      if ((fresh && !entry.firstIsNew) || (fresh === entry.firstIsNew && bytes > entry.firstBytes)) {
        entry.first = n
        entry.firstBytes = bytes
        entry.firstIsNew = fresh
      }
    } else {
      entry = {
        group: { kind, count, bytes, externalBytes: external },
        first: n,
        firstBytes: bytes,
        firstIsNew: fresh,
      }
      if (traced) entry.traces = new Map()
      groups.set(kind, entry)
    }
    if (entry.traces) {
      const trace = snapshot.nodes[made * snapshot.nodeFields + snapshot.node.traceNodeId] as number
      if (trace > 0) entry.traces.set(trace, (entry.traces.get(trace) ?? 0) + bytes)
    }
  }
  for (let n = 0; n < snapshot.nodeCount; n++) {
    const base = n * snapshot.nodeFields
    if ((snapshot.nodes[base + snapshot.node.id] as number) <= mark) continue
    const parent = graph.parent[n] as number
    // Unreachable, or held directly by the running stack or a handle (in use right now, not left behind).
    if (parent < 0 || nodeType(snapshot, parent) === 'synthetic') continue
    const bytes = snapshot.nodes[base + snapshot.node.selfSize] as number
    const type = nodeType(snapshot, n)
    if (graph.nodeOwn[n]) {
      if (nodeOwn && (USER_TYPES.has(type) || type === 'array' || type === 'hidden')) {
        nodeOwn.count += USER_TYPES.has(type) ? 1 : 0
        nodeOwn.bytes += bytes
      }
      continue
    }
    if (type === 'native' && nodeName(snapshot, n) === BACKING_STORE) {
      // An ArrayBuffer's contents, outside the JS heap (5 MB of a `Buffer.alloc(5_000_000)`): they count for
      // the Buffer or typed array that holds the buffer, else for the ArrayBuffer.
      if (!isNew(parent)) continue
      const view = graph.parent[parent] as number
      const owner = view >= 0 && isNew(view) && isView(snapshot, graph, view, parent) ? view : parent
      add(kindOf('object', nodeName(snapshot, owner)), owner, bytes, 0, parent, bytes)
      continue
    }
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
        add(kindOf(nodeType(snapshot, parent), nodeName(snapshot, parent)), parent, bytes, 0, n)
      continue
    }
    const name = nodeName(snapshot, n)
    if (type === 'object' && SYSTEM_NAME.test(name)) continue
    add(kindOf(type, name), n, bytes, 1, n)
  }
  return groups
}

/** The highest id of a heap object in a snapshot (native and synthetic nodes have ids of their own). */
export function maxObjectId(snapshot: HeapSnapshot): number {
  let max = 0
  for (let n = 0; n < snapshot.nodeCount; n++) {
    const type = nodeType(snapshot, n)
    if (type === 'native' || type === 'synthetic') continue
    max = Math.max(max, snapshot.nodes[n * snapshot.nodeFields + snapshot.node.id] as number)
  }
  return max
}

/** The native node that holds an ArrayBuffer's contents; its size is their byte length. */
const BACKING_STORE = 'system / JSArrayBufferData'

/** Whether `view` is a Buffer, typed array or DataView on the ArrayBuffer `buffer` (its `buffer` edge). */
function isView(snapshot: HeapSnapshot, graph: RetainerGraph, view: number, buffer: number): boolean {
  const edge = graph.via[buffer] as number
  return (
    nodeType(snapshot, view) === 'object' &&
    edge >= 0 &&
    snapshot.strings.get(snapshot.edges[edge + snapshot.edge.nameOrIndex] as number) === 'buffer'
  )
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
