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

const marker = (text: string) => Buffer.from(text, 'latin1')
const NODES = marker('"nodes":[')
const TRACE_FUNCTIONS = marker('"trace_function_infos":[')
const TRACE_TREE = marker('"trace_tree":[')
const STRINGS = marker('"strings":[')

const QUOTE = 34
const BACKSLASH = 92
const OPEN = 91
const CLOSE = 93
const ZERO = 48
const NINE = 57

/** What a parser reads: the whole snapshot, or only its header and `nodes` (enough for the ids it holds). */
export type ParseExtent = 'all' | 'nodes'

/**
 * Reads a `.heapsnapshot` from its bytes, in chunks as they are read from the file, without ever holding the
 * whole JSON text or making a string of it: the header is parsed alone, the digits of `nodes` and `edges` go
 * straight from the bytes into typed arrays sized from it, the number arrays between are skipped with a
 * native search for the next section's name, and the strings are cut out of the bytes one by one (V8 writes
 * them as ASCII, escaping the rest; only those with an escape go through `JSON.parse`). The whole text of a
 * heap of a few million objects is longer than V8's longest string (~512 MB); this holds the parsed arrays only.
 * Relies on V8's layout of the format: `snapshot`, then `nodes`, `edges`, `trace_function_infos`, `trace_tree`,
 * further number-only arrays, `strings` last. The two trace sections are read only when they hold something
 * (a snapshot taken while V8 tracked allocations); the others between are skipped.
 */
export class SnapshotParser {
  // Between snapshots every field holds a primitive, nothing, or an array made with the parser and emptied:
  // a parser made before a leak tracking's mark adds no new object that the next snapshot could see (the
  // arrays it fills are made after V8 took the graph).
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
  private extent: ParseExtent = 'all'
  /** The section name the `skip` state looks for next. */
  private marker = STRINGS
  /** The header's bytes so far; in `skip`, the end of the last chunk, which may hold the start of the marker. */
  private readonly kept: Buffer[] = []
  private meta: SnapshotMeta['snapshot'] | undefined
  private nodes: Uint32Array | undefined
  private edges: Uint32Array | undefined
  private traceFunctions: number[] | undefined
  private tree: TraceTreeReader | undefined
  private strings: string[] | undefined
  private filled = 0
  private value = -1
  /** Inside a string of `strings`: the bytes of it in earlier chunks (copied), and whether it has escapes. */
  private inString = false
  private escaped = false
  private hasEscape = false
  private readonly pieces: Buffer[] = []

  /** Forgets everything read, ready for the next snapshot, read to `extent`. */
  reset(extent: ParseExtent = 'all'): void {
    this.state = 'header'
    this.extent = extent
    this.marker = STRINGS
    this.kept.length = 0
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
    this.pieces.length = 0
  }

  /** Whether the parser has read all it reads (the rest of the text need not be pushed). */
  get done(): boolean {
    return this.state === 'done'
  }

  /** The next chunk of the text. It is not kept: the caller may reuse its memory after the call. */
  push(chunk: Uint8Array): void {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
    let at = 0
    while (at < bytes.length && this.state !== 'done') {
      if (this.state === 'header') at = this.readHeader(bytes, at)
      else if (this.state === 'skip') at = this.skip(bytes, at)
      else if (this.state === 'strings') at = this.readStrings(bytes, at)
      else if (this.state === 'traceTree') at = this.readTraceTree(bytes, at)
      else if (this.state === 'toEdges') {
        // Between `nodes` and `edges`: on to the bracket that opens the edges.
        const open = bytes.indexOf(OPEN, at)
        if (open >= 0) this.state = 'edges'
        at = open < 0 ? bytes.length : open + 1
      } else at = this.readNumbers(bytes, at)
    }
  }

  /**
   * The snapshot read, after its last chunk; the parser is reset. Read to `'nodes'`, it has no edges
   * (`edges` is empty) and no strings.
   */
  end(): HeapSnapshot {
    const { meta: header, nodes, traceFunctions, tree } = this
    const nodesOnly = this.extent === 'nodes'
    const edges = nodesOnly ? new Uint32Array(0) : this.edges
    const strings = nodesOnly ? [] : this.strings
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
      ...(!nodesOnly && traceFunctions && tree && tree.ids.length > 0
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

  /** The header (a few kB) is kept whole until `"nodes":[`, then parsed as JSON with the object closed. */
  private readHeader(bytes: Buffer, at: number): number {
    this.kept.push(Buffer.from(bytes.subarray(at)))
    const text = Buffer.concat(this.kept)
    const found = text.indexOf(NODES)
    if (found < 0) return bytes.length
    const next = bytes.length - (text.length - (found + NODES.length))
    const header = `${text.toString('latin1', 0, text.lastIndexOf(',', found))}}`
    this.kept.length = 0
    this.meta = (JSON.parse(header) as SnapshotMeta).snapshot
    this.nodes = new Uint32Array(this.meta.node_count * this.meta.meta.node_fields.length)
    if (this.extent === 'all') {
      this.edges = new Uint32Array(this.meta.edge_count * this.meta.meta.edge_fields.length)
      this.strings = []
    }
    this.marker = this.traced() ? TRACE_FUNCTIONS : STRINGS
    this.state = 'nodes'
    return next
  }

  /** Skips to just after the marker, searched natively; keeps the text's end in case the marker is cut. */
  private skip(bytes: Buffer, at: number): number {
    const marker = this.marker
    let next = -1
    const tail = this.kept[0]
    if (tail) {
      // The marker may begin in the last bytes before this chunk (fewer than the marker's length).
      const joined = Buffer.concat([tail, bytes.subarray(at, at + marker.length - 1)])
      const found = joined.indexOf(marker)
      if (found >= 0) next = at + found + marker.length - tail.length
    }
    if (next < 0) {
      const found = bytes.indexOf(marker, at)
      if (found >= 0) next = found + marker.length
    }
    if (next < 0) {
      const rest = tail ? Buffer.concat([tail, bytes.subarray(at)]) : bytes.subarray(at)
      this.kept[0] = Buffer.from(rest.subarray(Math.max(0, rest.length - (marker.length - 1))))
      return bytes.length
    }
    this.kept.length = 0
    if (marker === TRACE_FUNCTIONS) {
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

  private readTraceTree(bytes: Buffer, at: number): number {
    const tree = this.tree as TraceTreeReader
    const end = tree.read(bytes, at)
    if (end < 0) return bytes.length
    this.marker = STRINGS
    this.state = 'skip'
    return end
  }

  /** Digits to numbers, straight from the bytes; `]` ends the array. */
  private readNumbers(bytes: Buffer, at: number): number {
    if (this.state === 'traceFunctions') return this.readGrowing(bytes, at, this.traceFunctions as number[])
    const target = (this.state === 'nodes' ? this.nodes : this.edges) as Uint32Array
    const filled = fillNumbers(bytes, at, target, this.filled, this.value)
    if (filled >= 0) {
      // The chunk ended: `fillNumbers` left the digits of a number it may have cut.
      this.filled = filled
      this.value = numberState[0] as number
      return bytes.length
    }
    const end = -filled - 1
    const count = numberState[1] as number
    this.value = -1
    this.filled = 0
    if (count > target.length)
      throw new HeapSnapshotFormatError('the heap snapshot has more values than its header announced')
    if (count !== target.length)
      throw new HeapSnapshotFormatError('the heap snapshot has fewer values than its header announced')
    if (this.state === 'nodes') this.state = this.extent === 'nodes' ? 'done' : 'toEdges'
    else this.state = 'skip'
    return end + 1
  }

  /** `trace_function_infos`: a number array of no announced length. */
  private readGrowing(bytes: Buffer, at: number, target: number[]): number {
    let value = this.value
    for (let i = at; i < bytes.length; i++) {
      const code = bytes[i] as number
      if (code >= ZERO && code <= NINE) {
        value = (value < 0 ? 0 : value * 10) + (code - ZERO)
        continue
      }
      if (value >= 0) {
        target.push(value)
        value = -1
      }
      if (code === CLOSE) {
        this.value = -1
        this.marker = TRACE_TREE
        this.state = 'skip'
        return i + 1
      }
    }
    this.value = value
    return bytes.length
  }

  /**
   * The string table: each string is cut from the bytes between its quotes (found natively); only one with
   * a backslash in it needs decoding beyond UTF-8. A string cut by the chunk's end is kept (copied) until
   * its closing quote arrives.
   */
  private readStrings(bytes: Buffer, at: number): number {
    const strings = this.strings as string[]
    const length = bytes.length
    // The next backslash at or after where it was last looked for (`length`: none left in this chunk).
    let backslash = -1
    let i = at
    while (i < length) {
      if (!this.inString) {
        // Between strings: separators, then the next opening quote or the bracket that ends the table.
        const code = bytes[i] as number
        i++
        if (code === CLOSE) {
          this.state = 'done'
          return length
        }
        if (code !== QUOTE) continue
        this.inString = true
        this.hasEscape = false
        if (i === length) return length
      }
      // The closing quote: the first one not escaped.
      let j = i
      if (this.escaped) {
        // The previous chunk ended with the backslash: this chunk's first byte is escaped.
        this.escaped = false
        j++
      }
      let end = -1
      while (j < length) {
        const quote = bytes.indexOf(QUOTE, j)
        if (backslash < j) {
          backslash = bytes.indexOf(BACKSLASH, j)
          if (backslash < 0) backslash = length
        }
        if (backslash < length && (quote < 0 || backslash < quote)) {
          this.hasEscape = true
          if (backslash + 1 === length) this.escaped = true
          j = backslash + 2
          continue
        }
        end = quote
        break
      }
      if (end < 0) {
        if (i < length) this.pieces.push(Buffer.from(bytes.subarray(i)))
        return length
      }
      let text: string
      if (this.pieces.length === 0) text = bytes.toString('utf8', i, end)
      else {
        this.pieces.push(bytes.subarray(i, end))
        text = Buffer.concat(this.pieces).toString('utf8')
        this.pieces.length = 0
      }
      strings.push(this.hasEscape ? (JSON.parse(`"${text}"`) as string) : text)
      this.inString = false
      i = end + 1
    }
    return length
  }
}

// What `fillNumbers` returns besides its result: [0] the value of a number the chunk's end cut (-1: none),
// [1] how many values the array held when its `]` came. A typed array made when the module loads: storing
// any number in it allocates nothing that a leak diagnosis could see.
const numberState = new Float64Array(2)

/**
 * Reads the digits of a number array from `bytes[at]` into `target` from `filled` on (`value`: the digits of
 * a number the previous chunk ended in, -1 if none). Returns how many values `target` holds when the chunk
 * ends (the cut number's digits in `numberState[0]`), or -(index of the closing `]`) - 1 when the array
 * ends (how many it held in `numberState[1]`). A tight loop over bytes: V8 writes the arrays as digits separated by `,`
 * and newlines, and this is where a large snapshot's time goes. Values beyond `target` are counted, not
 * stored, so that the caller can say the header was wrong.
 */
function fillNumbers(bytes: Buffer, at: number, target: Uint32Array, filled: number, value: number): number {
  const length = bytes.length
  const capacity = target.length
  let count = filled
  let inNumber = value >= 0
  let number = inNumber ? value : 0
  for (let i = at; i < length; i++) {
    // One unsigned comparison tells a digit from a separator.
    const digit = ((bytes[i] as number) - ZERO) | 0
    if (digit >>> 0 < 10) {
      number = number * 10 + digit
      inNumber = true
      continue
    }
    if (inNumber) {
      if (count < capacity) target[count] = number
      count++
      number = 0
      inNumber = false
    }
    if (digit === CLOSE - ZERO) {
      numberState[1] = count
      return -i - 1
    }
  }
  numberState[0] = inNumber ? number : -1
  return count
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
  read(bytes: Buffer, at: number): number {
    if (!this.started) {
      // The marker consumed the tree's own opening bracket.
      this.started = true
      this.open.push(-1)
    }
    let value = this.value
    for (let i = at; i < bytes.length; i++) {
      const code = bytes[i] as number
      if (code >= ZERO && code <= NINE) {
        value = (value < 0 ? 0 : value * 10) + (code - ZERO)
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
      if (code === OPEN) this.open.push(this.ids.length - 1)
      else if (code === CLOSE) {
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
