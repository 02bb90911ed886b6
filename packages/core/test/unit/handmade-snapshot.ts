import { SnapshotParser } from '../../src/heap/parser.js'
import type { HeapSnapshot } from '../../src/heap/types.js'

// V8's layout of a .heapsnapshot, as Node 20–24 write it (the field names memgate reads, and one it does not).
export const NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness']
export const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
]
export const EDGE_FIELDS = ['type', 'name_or_index', 'to_node']
export const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak']

export interface HandmadeNode {
  type: string
  name: string
  selfSize?: number
  /** Where a function's code starts in its script: 0-based line and column, as V8 writes them. */
  location?: [number, number]
}

export interface HandmadeEdge {
  from: number
  type: string
  /** A property, variable or internal name; the index of an element or hidden edge. */
  name: string | number
  to: number
}

/**
 * The text of a .heapsnapshot with these nodes (node 0 is the root) and edges, laid out as V8 writes it:
 * nodes with their edges counted, each node's edges together in node order, names as indices into `strings`.
 * Node ids are 1, 3, 5, … like V8's.
 */
export function heapSnapshotText(nodes: HandmadeNode[], edges: HandmadeEdge[]): string {
  const strings: string[] = ['']
  const string = (text: string) => {
    const at = strings.indexOf(text)
    return at >= 0 ? at : strings.push(text) - 1
  }
  const ordered = [...edges].sort((a, b) => a.from - b.from)
  const nodeNumbers = nodes.flatMap((node, n) => [
    NODE_TYPES.indexOf(node.type),
    string(node.name),
    2 * n + 1,
    node.selfSize ?? 0,
    edges.filter((edge) => edge.from === n).length,
    0,
    0,
  ])
  const edgeNumbers = ordered.flatMap((edge) => [
    EDGE_TYPES.indexOf(edge.type),
    typeof edge.name === 'number' ? edge.name : string(edge.name),
    edge.to * NODE_FIELDS.length,
  ])
  return JSON.stringify({
    snapshot: {
      meta: {
        node_fields: NODE_FIELDS,
        node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
        edge_fields: EDGE_FIELDS,
        edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
        location_fields: ['object_index', 'script_id', 'line', 'column'],
      },
      node_count: nodes.length,
      edge_count: edges.length,
      trace_function_count: 0,
    },
    nodes: nodeNumbers,
    edges: edgeNumbers,
    trace_function_infos: [],
    trace_tree: [],
    samples: [],
    locations: nodes.flatMap((node, n) =>
      node.location ? [n * NODE_FIELDS.length, 1, node.location[0], node.location[1]] : [],
    ),
    strings,
  })
}

/** Parses a snapshot's text in one chunk (of its UTF-8 bytes, as read from a file). */
export function parse(text: string): HeapSnapshot {
  const parser = new SnapshotParser()
  parser.push(Buffer.from(text))
  return parser.end()
}

/** Parses a snapshot's text from its UTF-8 bytes cut into chunks of `size` bytes. */
export function parseInChunks(
  text: string | Buffer,
  size: number,
  parser = new SnapshotParser(),
): HeapSnapshot {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  for (let at = 0; at < bytes.length; at += size) parser.push(bytes.subarray(at, at + size))
  return parser.end()
}
