import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { postNow } from './inspector.js'

/**
 * A parsed V8 heap snapshot (the `.heapsnapshot` format): flat `nodes` and `edges` arrays whose record layout
 * is given by `snapshot.meta`, and the `strings` they index into.
 */
export interface HeapSnapshot {
  nodes: number[]
  edges: number[]
  strings: string[]
  nodeTypes: string[]
  edgeTypes: string[]
  /** Numbers per node record and per edge record. */
  nodeFields: number
  edgeFields: number
  /** Offsets of the fields memgate reads, within a record (-1 if the snapshot has no such field). */
  node: { type: number; name: number; id: number; selfSize: number; edgeCount: number }
  edge: { type: number; nameOrIndex: number; toNode: number }
  nodeCount: number
}

/** An inspector session on this thread with the heap profiler enabled. It answers synchronously. */
export interface HeapProfilerSession {
  post(method: string, params?: object): unknown
  /** Subscribes to a protocol event (e.g. `HeapProfiler.lastSeenObjectId`) until `close()`. */
  on(event: string, listener: (params: Record<string, unknown>) => void): void
  /** Takes a heap snapshot and returns its JSON text (GC first if garbage should not be in it). */
  snapshot(): string
  /** Disconnects. V8 then stops tracking and forgets the heap object ids it assigned. */
  close(): void
}

export function openHeapProfiler(): HeapProfilerSession {
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object): unknown => postNow(session, method, params)
  let chunks: string[] = []
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => {
    chunks.push(message.params.chunk)
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
    snapshot() {
      chunks = []
      try {
        // The chunks arrive as events while the call runs, synchronously on this thread.
        post('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
        return chunks.join('')
      } finally {
        chunks = []
      }
    },
    close: () => session.disconnect(),
  }
}

interface SnapshotJson {
  snapshot: {
    meta: {
      node_fields: string[]
      node_types: [string[], ...unknown[]]
      edge_fields: string[]
      edge_types: [string[], ...unknown[]]
    }
    node_count: number
  }
  nodes: number[]
  edges: number[]
  strings: string[]
}

/** Parses the JSON text of a `.heapsnapshot`. */
export function parseHeapSnapshot(json: string): HeapSnapshot {
  const data = JSON.parse(json) as SnapshotJson
  const meta = data.snapshot.meta
  const nodeField = (name: string) => meta.node_fields.indexOf(name)
  const edgeField = (name: string) => meta.edge_fields.indexOf(name)
  return {
    nodes: data.nodes,
    edges: data.edges,
    strings: data.strings,
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
    nodeFields: meta.node_fields.length,
    edgeFields: meta.edge_fields.length,
    node: {
      type: nodeField('type'),
      name: nodeField('name'),
      id: nodeField('id'),
      selfSize: nodeField('self_size'),
      edgeCount: nodeField('edge_count'),
    },
    edge: { type: edgeField('type'), nameOrIndex: edgeField('name_or_index'), toNode: edgeField('to_node') },
    nodeCount: data.nodes.length / meta.node_fields.length,
  }
}

/** Writes snapshot JSON to `path` (`.heapsnapshot`: DevTools → Memory → Load). Returns the path. */
export function writeHeapSnapshot(path: string, json: string): string {
  writeFileSync(path, json)
  return path
}
