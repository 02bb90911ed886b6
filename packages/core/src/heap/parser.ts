import { HeapSnapshotFormatError } from '../errors.js'
import type { HeapSnapshot } from './types.js'

interface SnapshotMeta {
  snapshot: {
    meta: {
      node_fields: string[]
      node_types: [string[], ...unknown[]]
      edge_fields: string[]
      edge_types: [string[], ...unknown[]]
      trace_function_info_fields?: string[]
      trace_node_fields?: string[]
    }
    node_count: number
    edge_count: number
    trace_function_count?: number
  }
}

const NODES = '"nodes":['
const TRACE_FUNCTIONS = '"trace_function_infos":['
const TRACE_TREE = '"trace_tree":['
const STRINGS = '"strings":['

/**
 * Reads a `.heapsnapshot` from its chunks as V8 sends them, without ever holding the whole JSON text: the
 * header is parsed alone, `nodes` and `edges` go into typed arrays sized from it, the number arrays between
 * are skipped, and the strings are decoded one by one. The whole text of a heap of a few million objects is
 * longer than V8's longest string (~512 MB); this holds the parsed arrays only.
 * Relies on V8's layout of the format: `snapshot`, then `nodes`, `edges`, `trace_function_infos`, `trace_tree`,
 * further number-only arrays, `strings` last. The two trace sections are read only when they hold something
 * (a snapshot taken while V8 tracked allocations); the others between are skipped.
 */
export class SnapshotParser {
  // Between snapshots every field holds a primitive: a parser made before a leak tracking's mark adds no new
  // object that the next snapshot could see (the arrays are made while V8 streams, after it took the graph).
  private state:
    | 'header'
    | 'nodes'
    | 'toEdges'
    | 'edges'
    | 'skip'
    | 'traceFunctions'
    | 'traceTree'
    | 'strings'
    | 'done' = 'header'
  /** The marker the `skip` state looks for next. */
  private marker = STRINGS
  private text = ''
  private meta: SnapshotMeta['snapshot'] | undefined
  private nodes: Uint32Array | undefined
  private edges: Uint32Array | undefined
  private traceFunctions: number[] | undefined
  private tree: TraceTreeReader | undefined
  private strings: string[] | undefined
  private filled = 0
  private value = -1
  private inString = false
  private escaped = false
  private hasEscape = false
  private current = ''

  /** Forgets everything read, ready for the next snapshot. */
  reset(): void {
    this.state = 'header'
    this.marker = STRINGS
    this.text = ''
    this.meta = undefined
    this.nodes = undefined
    this.edges = undefined
    this.traceFunctions = undefined
    this.tree = undefined
    this.strings = undefined
    this.filled = 0
    this.value = -1
    this.inString = false
    this.escaped = false
    this.hasEscape = false
    this.current = ''
  }

  push(chunk: string): void {
    let at = 0
    while (at < chunk.length && this.state !== 'done') {
      if (this.state === 'header' || this.state === 'skip') at = this.seek(chunk, at)
      else if (this.state === 'strings') at = this.readStrings(chunk, at)
      else if (this.state === 'traceTree') at = this.readTraceTree(chunk, at)
      else if (this.state === 'toEdges') {
        // Between `nodes` and `edges`: on to the bracket that opens the edges.
        const open = chunk.indexOf('[', at)
        if (open >= 0) this.state = 'edges'
        at = open < 0 ? chunk.length : open + 1
      } else at = this.readNumbers(chunk, at)
    }
  }

  /** The snapshot read, after its last chunk; the parser is reset. */
  end(): HeapSnapshot {
    const { meta: header, nodes, edges, strings, traceFunctions, tree } = this
    const done = this.state === 'done'
    this.reset()
    if (!done || !header || !nodes || !edges || !strings)
      throw new HeapSnapshotFormatError('the heap snapshot ended early')
    const meta = header.meta
    const nodeField = (name: string) => meta.node_fields.indexOf(name)
    const edgeField = (name: string) => meta.edge_fields.indexOf(name)
    const functionFields = meta.trace_function_info_fields ?? []
    const functionField = (name: string) => functionFields.indexOf(name)
    return {
      nodes,
      edges,
      strings,
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
        traceNodeId: nodeField('trace_node_id'),
      },
      edge: {
        type: edgeField('type'),
        nameOrIndex: edgeField('name_or_index'),
        toNode: edgeField('to_node'),
      },
      nodeCount: header.node_count,
      ...(traceFunctions && tree && tree.ids.length > 0
        ? {
            traces: {
              functions: Uint32Array.from(traceFunctions),
              functionFields: functionFields.length,
              function: {
                name: functionField('name'),
                scriptName: functionField('script_name'),
                line: functionField('line'),
                column: functionField('column'),
              },
              ids: Uint32Array.from(tree.ids),
              functionIndex: Uint32Array.from(tree.functionIndex),
              parent: Int32Array.from(tree.parent),
            },
          }
        : {}),
    }
  }

  /** Header and skipped arrays: text is kept only until the marker of the next section is found. */
  private seek(chunk: string, at: number): number {
    const marker = this.state === 'header' ? NODES : this.marker
    const kept = this.text.length
    this.text += chunk.slice(at)
    const found = this.text.indexOf(marker)
    if (found < 0) {
      // Keep what may be the start of the marker; a header is small, so it is kept whole.
      if (this.state === 'skip') this.text = this.text.slice(-marker.length)
      return chunk.length
    }
    const next = at + (found + marker.length - kept)
    if (this.state === 'header') {
      // No RegExp here: V8 keeps the last string a RegExp ran on reachable (RegExp.lastMatch), and this one
      // shares its characters with a whole chunk, made after a leak tracking's mark.
      const header = `${this.text.slice(0, this.text.lastIndexOf(',', found))}}`
      this.meta = (JSON.parse(header) as SnapshotMeta).snapshot
      this.nodes = new Uint32Array(this.meta.node_count * this.meta.meta.node_fields.length)
      this.edges = new Uint32Array(this.meta.edge_count * this.meta.meta.edge_fields.length)
      this.strings = []
      this.marker = this.traced() ? TRACE_FUNCTIONS : STRINGS
      this.state = 'nodes'
    } else if (marker === TRACE_FUNCTIONS) {
      // Not sized from the header: its `trace_function_count` may be counted before V8 adds the last ones.
      this.traceFunctions = []
      this.state = 'traceFunctions'
    } else if (marker === TRACE_TREE) {
      const fields = this.meta?.meta.trace_node_fields ?? []
      this.tree = new TraceTreeReader(
        fields.indexOf('id'),
        fields.indexOf('function_info_index'),
        fields.length - 1,
      )
      this.state = 'traceTree'
    } else this.state = 'strings'
    this.text = ''
    return next
  }

  /** Whether the header announces allocation traces (V8 tracked allocations when it took the snapshot). */
  private traced(): boolean {
    const meta = this.meta
    return (
      (meta?.trace_function_count ?? 0) > 0 &&
      meta?.meta.trace_function_info_fields !== undefined &&
      meta.meta.trace_node_fields?.at(-1) === 'children'
    )
  }

  private readTraceTree(chunk: string, at: number): number {
    const tree = this.tree as TraceTreeReader
    const end = tree.read(chunk, at)
    if (end < 0) return chunk.length
    this.marker = STRINGS
    this.state = 'skip'
    return end
  }

  private readNumbers(chunk: string, at: number): number {
    const growing = this.state === 'traceFunctions' ? this.traceFunctions : undefined
    const target = (growing ?? (this.state === 'nodes' ? this.nodes : this.edges)) as Uint32Array | number[]
    let value = this.value
    for (let i = at; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i)
      if (code >= 48 && code <= 57) {
        value = (value < 0 ? 0 : value * 10) + (code - 48)
        continue
      }
      if (value >= 0) {
        if (!growing && this.filled >= target.length)
          throw new HeapSnapshotFormatError('the heap snapshot has more values than its header announced')
        target[this.filled++] = value
        value = -1
      }
      if (code === 93 /* ] */) {
        this.value = -1
        if (this.filled !== target.length)
          throw new HeapSnapshotFormatError('the heap snapshot has fewer values than its header announced')
        this.filled = 0
        if (this.state === 'traceFunctions') this.marker = TRACE_TREE
        this.state = this.state === 'nodes' ? 'toEdges' : 'skip'
        return i + 1
      }
    }
    this.value = value
    return chunk.length
  }

  private readStrings(chunk: string, at: number): number {
    let i = at
    while (i < chunk.length) {
      if (!this.inString) {
        const quote = chunk.indexOf('"', i)
        const close = chunk.indexOf(']', i)
        if (close >= 0 && (quote < 0 || close < quote)) {
          this.state = 'done'
          return chunk.length
        }
        if (quote < 0) return chunk.length
        this.inString = true
        this.current = ''
        this.hasEscape = false
        i = quote + 1
        continue
      }
      let j = i
      for (; j < chunk.length; j++) {
        const code = chunk.charCodeAt(j)
        if (this.escaped) this.escaped = false
        else if (code === 92 /* \\ */) {
          this.escaped = true
          this.hasEscape = true
        } else if (code === 34 /* " */) break
      }
      this.current += chunk.slice(i, j)
      if (j === chunk.length) return chunk.length
      this.strings?.push(this.hasEscape ? (JSON.parse(`"${this.current}"`) as string) : this.current)
      this.inString = false
      this.current = ''
      i = j + 1
    }
    return chunk.length
  }
}

/**
 * Reads `trace_tree`, V8's tree of the call stacks it saw allocate: each node is its fields (`id`,
 * `function_info_index`, `count`, `size`) and then an array of its children, nested. Kept flat: the node's id,
 * its function and the index of its parent (-1 at the root).
 */
class TraceTreeReader {
  readonly ids: number[] = []
  readonly functionIndex: number[] = []
  readonly parent: number[] = []
  // The node each open bracket holds the children of: -1 for the tree's own array.
  private readonly open: number[] = []
  private fields: number[] = []
  private value = -1
  private started = false

  constructor(
    private readonly idField: number,
    private readonly functionField: number,
    private readonly numbers: number,
  ) {}

  /** Reads from `at`; returns where the tree ended in the chunk, or -1 if it goes on in the next chunk. */
  read(chunk: string, at: number): number {
    if (!this.started) {
      // The marker consumed the tree's own opening bracket.
      this.started = true
      this.open.push(-1)
    }
    let value = this.value
    for (let i = at; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i)
      if (code >= 48 && code <= 57) {
        value = (value < 0 ? 0 : value * 10) + (code - 48)
        continue
      }
      if (value >= 0) {
        this.fields.push(value)
        value = -1
        if (this.fields.length === this.numbers) {
          this.ids.push(this.fields[this.idField] as number)
          this.functionIndex.push(this.fields[this.functionField] as number)
          this.parent.push(this.open.at(-1) as number)
          this.fields = []
        }
      }
      if (code === 91 /* [ */) this.open.push(this.ids.length - 1)
      else if (code === 93 /* ] */) {
        this.open.pop()
        if (this.open.length === 0) {
          this.value = -1
          return i + 1
        }
      }
    }
    this.value = value
    return -1
  }
}
