import { HeapSnapshotFormatError } from '../errors.js'
import { SnapshotStrings, StringTableReader } from './strings.js'
import type { CodeLocations, HeapSnapshot } from './types.js'

interface SnapshotMeta {
  snapshot: {
    meta: {
      node_fields: string[]
      node_types: [string[], ...unknown[]]
      edge_fields: string[]
      edge_types: [string[], ...unknown[]]
      trace_function_info_fields?: string[]
      trace_node_fields?: string[]
      location_fields?: string[]
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
const LOCATIONS = marker('"locations":[')
const STRINGS = marker('"strings":[')

const EMPTY_STRINGS = new SnapshotStrings(
  Buffer.alloc(0),
  new Uint32Array(0),
  new Uint32Array(0),
  new Uint8Array(0),
)
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
 * native search for the next section's name, and the strings' section is kept as bytes, each string made
 * only when it is first read ({@link SnapshotStrings}). The whole text of a heap of a few million objects is
 * longer than V8's longest string (~512 MB); this holds the parsed arrays and the strings' bytes only.
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
    | 'locations'
    | 'strings'
    | 'done' = 'header'
  private extent: ParseExtent = 'all'
  /** The section name the `skip` state looks for next. */
  private marker = STRINGS
  /** The header's bytes so far; in `skip`, the end of the last chunk, which may hold the start of the marker. */
  private readonly kept: Buffer[] = []
  private meta: SnapshotMeta['snapshot'] | undefined
  private arrays: NumberArrays | undefined
  private traceFunctions: number[] | undefined
  private tree: TraceTreeReader | undefined
  private locations: LocationReader | undefined
  /** A location reader's scratch: made with the parser, so that none is made after a leak tracking's mark. */
  private readonly scratch = new Uint32Array(LOCATION_SCRATCH)
  private strings: StringTableReader | undefined
  private value = -1

  /**
   * `numbers`: how the digits of `nodes` and `edges` are read: `'wasm'` (the default where WebAssembly
   * runs: the same loop as machine code from its first byte, see {@link DIGITS_WASM}) or `'js'`.
   */
  constructor(private readonly numbers: 'wasm' | 'js' = digitsModule() ? 'wasm' : 'js') {}

  /** Forgets everything read, ready for the next snapshot, read to `extent`. */
  reset(extent: ParseExtent = 'all'): void {
    this.state = 'header'
    this.extent = extent
    this.marker = STRINGS
    this.kept.length = 0
    this.meta = undefined
    this.arrays = undefined
    this.traceFunctions = undefined
    this.tree = undefined
    this.locations = undefined
    this.strings = undefined
    this.value = -1
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
      else if (this.state === 'locations') at = this.readLocations(bytes, at)
      else if (this.state === 'toEdges') {
        // Between `nodes` and `edges`: on to the bracket that opens the edges.
        const open = bytes.indexOf(OPEN, at)
        if (open >= 0) {
          this.state = 'edges'
          this.arrays?.begin('edges')
        }
        at = open < 0 ? bytes.length : open + 1
      } else at = this.readNumbers(bytes, at)
    }
  }

  /**
   * The snapshot read, after its last chunk; the parser is reset. Read to `'nodes'`, it has no edges
   * (`edges` is empty) and no strings.
   */
  end(): HeapSnapshot {
    const { meta: header, traceFunctions, tree, locations } = this
    const nodesOnly = this.extent === 'nodes'
    const nodes = this.arrays?.nodes
    const edges = this.arrays?.edges
    // The strings are read to the end of the text: the table is whole if its closing bracket came.
    const done = this.state === 'done' || this.state === 'strings'
    const strings = nodesOnly ? EMPTY_STRINGS : this.strings?.end()
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
      ...(!nodesOnly && locations ? { locations: locations.end() } : {}),
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
    const { meta } = this.meta
    const edges = this.extent === 'all' ? this.meta.edge_count * meta.edge_fields.length : 0
    this.arrays = numberArrays(this.meta.node_count * meta.node_fields.length, edges, this.numbers)
    this.arrays.begin('nodes')
    if (this.extent === 'all') this.strings = new StringTableReader()
    this.marker = this.traced() ? TRACE_FUNCTIONS : this.afterTraces()
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
    } else if (marker === LOCATIONS) {
      const fields = this.meta?.meta.location_fields ?? []
      const nodes = this.arrays?.nodes ?? new Uint32Array(0)
      const closure = this.meta?.meta.node_types[0].indexOf('closure') ?? -1
      const type = this.meta?.meta.node_fields.indexOf('type') ?? -1
      // Only functions' locations are kept: a path names a closure by them (V8 also gives objects their constructor's).
      const nodeFields = this.meta?.meta.node_fields.length ?? 1
      this.locations = new LocationReader(
        this.scratch,
        fields,
        (index) => nodes[index + type] === closure,
        nodeFields,
      )
      this.state = 'locations'
    } else this.state = 'strings'
    return next
  }

  /** The section after the allocation traces: `locations` when the snapshot has them, else `strings`. */
  private afterTraces(): typeof STRINGS {
    const fields = this.meta?.meta.location_fields ?? []
    return ['object_index', 'line', 'column'].every((field) => fields.includes(field)) ? LOCATIONS : STRINGS
  }

  private readLocations(bytes: Buffer, at: number): number {
    const end = (this.locations as LocationReader).read(bytes, at)
    if (end < 0) return bytes.length
    this.marker = STRINGS
    this.state = 'skip'
    return end
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
    this.marker = this.afterTraces()
    this.state = 'skip'
    return end
  }

  /** Digits to numbers, straight from the bytes; `]` ends the array. */
  private readNumbers(bytes: Buffer, at: number): number {
    if (this.state === 'traceFunctions') return this.readGrowing(bytes, at, this.traceFunctions as number[])
    const arrays = this.arrays as NumberArrays
    const close = arrays.read(bytes, at)
    if (close < 0) return bytes.length
    const length = this.state === 'nodes' ? arrays.nodes.length : arrays.edges.length
    if (arrays.count > length)
      throw new HeapSnapshotFormatError('the heap snapshot has more values than its header announced')
    if (arrays.count !== length)
      throw new HeapSnapshotFormatError('the heap snapshot has fewer values than its header announced')
    if (this.state === 'nodes') this.state = this.extent === 'nodes' ? 'done' : 'toEdges'
    else this.state = 'skip'
    return close + 1
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

  /** The string table: its bytes, kept until the end (the strings are made one by one as they are used). */
  private readStrings(bytes: Buffer, at: number): number {
    ;(this.strings as StringTableReader).push(bytes, at)
    return bytes.length
  }
}

/**
 * The two big number arrays of a snapshot, `nodes` and `edges`, read from their digits into typed arrays
 * sized from the header. `read` goes on with the array begun last; a number cut by a chunk's end goes on in
 * the next chunk.
 */
interface NumberArrays {
  readonly nodes: Uint32Array
  readonly edges: Uint32Array
  /** Starts reading into `nodes` or `edges`. */
  begin(array: 'nodes' | 'edges'): void
  /** Reads from `bytes[at]`: returns the index of the `]` that ends the array, or -1 if the chunk ends first. */
  read(bytes: Buffer, at: number): number
  /** How many values the array held when its `]` came (more than its length: the header was wrong). */
  readonly count: number
}

function numberArrays(nodes: number, edges: number, how: 'wasm' | 'js'): NumberArrays {
  return (how === 'wasm' && WasmNumberArrays.make(nodes, edges)) || new JsNumberArrays(nodes, edges)
}

class JsNumberArrays implements NumberArrays {
  readonly nodes: Uint32Array
  readonly edges: Uint32Array
  count = 0
  private target: Uint32Array
  /** The digits of a number the last chunk ended in, -1 if none. */
  private value = -1

  constructor(nodes: number, edges: number) {
    this.nodes = new Uint32Array(nodes)
    this.edges = new Uint32Array(edges)
    this.target = this.nodes
  }

  begin(array: 'nodes' | 'edges'): void {
    this.target = array === 'nodes' ? this.nodes : this.edges
    this.count = 0
    this.value = -1
  }

  read(bytes: Buffer, at: number): number {
    const close = fillNumbers(bytes, at, this.target, this.count, this.value)
    this.count = numberState[1] as number
    this.value = numberState[0] as number
    return close
  }
}

// What `fillNumbers` returns besides the `]`: [0] the digits of a number the chunk's end cut (-1: none),
// [1] how many values the array holds. A typed array made when the module loads: storing any number in it
// allocates nothing that a leak diagnosis could see.
const numberState = new Float64Array(2)

/**
 * Reads the digits of a number array from `bytes[at]` into `target` from `filled` on (`value`: the digits of
 * a number the previous chunk ended in, -1 if none). Returns the index of the `]` that ends the array, or -1
 * when the chunk ends first; the count and a cut number's digits go to `numberState`. A tight loop over
 * bytes: V8 writes the arrays as digits separated by `,` and newlines. Values beyond `target` are counted,
 * not stored, so that the caller can say the header was wrong.
 */
function fillNumbers(bytes: Buffer, at: number, target: Uint32Array, filled: number, value: number): number {
  const length = bytes.length
  const capacity = target.length
  let count = filled
  let inNumber = value >= 0
  let number = inNumber ? value : 0
  let close = -1
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
      close = i
      break
    }
  }
  numberState[0] = inNumber ? number : -1
  numberState[1] = count
  return close
}

/**
 * The digit loop of {@link fillNumbers} as a WebAssembly module. V8 compiles it to machine code before it
 * runs, whatever its JIT did to JavaScript meanwhile: a leak tracking with allocation sites throws all
 * optimized code away first, and JavaScript then parses a snapshot at a fraction of its speed until the
 * optimizing compiler comes back (~2× slower on a Vitest worker's snapshot; warm, WebAssembly is still ~2×
 * faster). In the text format:
 *
 * ```wat
 * (module
 *   (import "parser" "memory" (memory 1))
 *   (global $number (export "number") (mut i32) (i32.const 0))      ;; digits of a number cut by a chunk's end
 *   (global $inNumber (export "inNumber") (mut i32) (i32.const 0))
 *   (global $close (export "close") (mut i32) (i32.const -1))        ;; where the `]` was, or -1
 *   ;; Reads bytes [at, end) of memory; stores each number at `out` (while out < limit); returns `out` after.
 *   (func (export "fill") (param $at i32) (param $end i32) (param $out i32) (param $limit i32) (result i32)
 *     (local $digit i32) (local $n i32) (local $in i32)
 *     (local.set $n (global.get $number))  (local.set $in (global.get $inNumber))  (global.set $close (i32.const -1))
 *     (block $done (loop $next
 *       (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
 *       (if (i32.lt_u (local.tee $digit (i32.sub (i32.load8_u (local.get $at)) (i32.const 48))) (i32.const 10))
 *         (then (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (local.get $digit)))
 *               (local.set $in (i32.const 1)))
 *         (else (if (local.get $in) (then
 *                 (if (i32.lt_u (local.get $out) (local.get $limit)) (then (i32.store (local.get $out) (local.get $n))))
 *                 (local.set $out (i32.add (local.get $out) (i32.const 4)))
 *                 (local.set $n (i32.const 0))  (local.set $in (i32.const 0))))
 *               (if (i32.eq (local.get $digit) (i32.const 45)) ;; `]`
 *                 (then (global.set $close (local.get $at)) (br $done)))))
 *       (local.set $at (i32.add (local.get $at) (i32.const 1)))
 *       (br $next)))
 *     (global.set $number (local.get $n))  (global.set $inNumber (local.get $in))
 *     (local.get $out)))
 * ```
 *
 * i32 arithmetic wraps as storing into a Uint32Array does, so a value of 2³² or more reads the same either way.
 */
export const DIGITS_WASM: Uint8Array = assembleDigits()

function assembleDigits(): Uint8Array {
  const op = {
    block: 0x02,
    loop: 0x03,
    if: 0x04,
    else: 0x05,
    end: 0x0b,
    br: 0x0c,
    brIf: 0x0d,
    localGet: 0x20,
    localSet: 0x21,
    localTee: 0x22,
    globalGet: 0x23,
    globalSet: 0x24,
    load8u: 0x2d,
    store: 0x36,
    const: 0x41,
    eq: 0x46,
    ltU: 0x49,
    geU: 0x4f,
    add: 0x6a,
    sub: 0x6b,
    mul: 0x6c,
  }
  const VOID = 0x40
  const I32 = 0x7f
  const [at, end, out, limit, digit, n, inNumber] = [0, 1, 2, 3, 4, 5, 6]
  const [gNumber, gInNumber, gClose] = [0, 1, 2]
  const i32 = (value: number) => [op.const, ...sleb128(value)]
  const get = (local: number) => [op.localGet, local]
  const set = (local: number) => [op.localSet, local]
  const code = [
    ...[op.globalGet, gNumber, ...set(n), op.globalGet, gInNumber, ...set(inNumber)],
    ...[...i32(-1), op.globalSet, gClose],
    ...[op.block, VOID, op.loop, VOID],
    ...[...get(at), ...get(end), op.geU, op.brIf, 1],
    ...[...get(at), op.load8u, 0, 0, ...i32(ZERO), op.sub, op.localTee, digit, ...i32(10), op.ltU],
    ...[
      op.if,
      VOID,
      ...get(n),
      ...i32(10),
      op.mul,
      ...get(digit),
      op.add,
      ...set(n),
      ...i32(1),
      ...set(inNumber),
    ],
    ...[op.else, ...get(inNumber), op.if, VOID],
    ...[...get(out), ...get(limit), op.ltU, op.if, VOID, ...get(out), ...get(n), op.store, 2, 0, op.end],
    ...[...get(out), ...i32(4), op.add, ...set(out), ...i32(0), ...set(n), ...i32(0), ...set(inNumber)],
    op.end,
    // br 3: out of this if, the else, the loop, to the block's end.
    ...[...get(digit), ...i32(CLOSE - ZERO), op.eq, op.if, VOID, ...get(at), op.globalSet, gClose, op.br, 3],
    ...[op.end, op.end],
    ...[...get(at), ...i32(1), op.add, ...set(at), op.br, 0],
    ...[op.end, op.end],
    ...[...get(n), op.globalSet, gNumber, ...get(inNumber), op.globalSet, gInNumber, ...get(out), op.end],
  ]
  const body = [1, 3, I32, ...code]
  const name = (text: string) => [...uleb128(text.length), ...Buffer.from(text, 'latin1')]
  const section = (id: number, content: number[]) => [id, ...uleb128(content.length), ...content]
  const mutableI32 = (value: number) => [I32, 1, ...i32(value), op.end]
  const FUNC = 0x60
  const [EXPORT_FUNC, EXPORT_GLOBAL, IMPORT_MEMORY] = [0, 3, 2]
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, FUNC, 4, I32, I32, I32, I32, 1, I32]),
    ...section(2, [1, ...name('parser'), ...name('memory'), IMPORT_MEMORY, 0, 1]),
    ...section(3, [1, 0]),
    ...section(6, [3, ...mutableI32(0), ...mutableI32(0), ...mutableI32(-1)]),
    ...section(7, [
      4,
      ...[...name('fill'), EXPORT_FUNC, 0],
      ...[...name('number'), EXPORT_GLOBAL, gNumber],
      ...[...name('inNumber'), EXPORT_GLOBAL, gInNumber],
      ...[...name('close'), EXPORT_GLOBAL, gClose],
    ]),
    ...section(10, [1, ...uleb128(body.length), ...body]),
  ])
}

function uleb128(value: number): number[] {
  const bytes: number[] = []
  let rest = value >>> 0
  do {
    const low = rest & 0x7f
    rest >>>= 7
    bytes.push(rest ? low | 0x80 : low)
  } while (rest)
  return bytes
}

function sleb128(value: number): number[] {
  const bytes: number[] = []
  let rest = value | 0
  for (;;) {
    const low = rest & 0x7f
    rest >>= 7
    if ((rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0)) {
      bytes.push(low)
      return bytes
    }
    bytes.push(low | 0x80)
  }
}

/** The part of WebAssembly's JavaScript API used here (TypeScript's ES library does not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer }
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown }
}
type WasmModule = { readonly wasm: unique symbol }

interface DigitsExports {
  fill(at: number, end: number, out: number, limit: number): number
  number: { value: number }
  inNumber: { value: number }
  close: { value: number }
}

let compiled: WasmModule | null | undefined

/**
 * The digits module, compiled once per thread on first need (a parser is made before a leak tracking's
 * mark, so the module is older than the mark); null where WebAssembly does not run (`--jitless`, a
 * big-endian machine, whose typed arrays would read WebAssembly's little-endian numbers backwards).
 */
function digitsModule(): WasmModule | null {
  if (compiled === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly
    const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1
    try {
      compiled = api && littleEndian ? new api.Module(DIGITS_WASM) : null
    } catch {
      compiled = null
    }
  }
  return compiled
}

/** Bytes of memory the chunks are copied into, before the two arrays. */
const INPUT = 1 << 20

/**
 * The arrays in a WebAssembly memory, one instance per snapshot: the chunks are copied into the memory's
 * first MiB, the module writes the numbers straight into `nodes` and `edges`, which are views of the memory
 * that follows (what the snapshot keeps: the memory is freed with it).
 */
class WasmNumberArrays implements NumberArrays {
  readonly nodes: Uint32Array
  readonly edges: Uint32Array
  private readonly input: Uint8Array
  private readonly digits: DigitsExports
  private base = 0
  private out = 0
  private limit = 0

  /** Undefined when the memory cannot be had (more than 4 GiB, or not now): the caller reads in JavaScript. */
  static make(nodes: number, edges: number): WasmNumberArrays | undefined {
    const module = digitsModule()
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly
    const bytes = INPUT + 4 * (nodes + edges)
    if (!module || !api || bytes > 2 ** 32) return undefined
    try {
      const memory = new api.Memory({ initial: Math.ceil(bytes / 65536) })
      const instance = new api.Instance(module, { parser: { memory } })
      return new WasmNumberArrays(memory, instance.exports as unknown as DigitsExports, nodes, edges)
    } catch {
      return undefined
    }
  }

  private constructor(
    memory: { readonly buffer: ArrayBuffer },
    digits: DigitsExports,
    nodes: number,
    edges: number,
  ) {
    this.digits = digits
    this.input = new Uint8Array(memory.buffer, 0, INPUT)
    this.nodes = new Uint32Array(memory.buffer, INPUT, nodes)
    this.edges = new Uint32Array(memory.buffer, INPUT + 4 * nodes, edges)
  }

  get count(): number {
    return (this.out - this.base) / 4
  }

  begin(array: 'nodes' | 'edges'): void {
    const target = array === 'nodes' ? this.nodes : this.edges
    this.base = target.byteOffset
    this.out = this.base
    this.limit = this.base + target.byteLength
    this.digits.number.value = 0
    this.digits.inNumber.value = 0
  }

  read(bytes: Buffer, at: number): number {
    for (let from = at; from < bytes.length; from += INPUT) {
      const length = Math.min(INPUT, bytes.length - from)
      this.input.set(bytes.subarray(from, from + length))
      this.out = this.digits.fill(0, length, this.out, this.limit)
      const close = this.digits.close.value as number
      if (close >= 0) return from + close
    }
    return -1
  }
}

/** Numbers a location reader parses at a time (then keeps the closures' among them). */
const LOCATION_SCRATCH = 1 << 16

/**
 * Reads `locations` (a record per object: its index in `nodes`, script id, 0-based line and column), keeping
 * those of the nodes `kept` accepts. The digits go through {@link fillNumbers} into a scratch array, a slice
 * of bytes at a time small enough that the slice's numbers fit in what is left of it.
 */
class LocationReader {
  private readonly nodes: number[] = []
  private readonly lines: number[] = []
  private readonly columns: number[] = []
  private readonly fields: number
  private readonly index: number
  private readonly line: number
  private readonly column: number
  private filled = 0
  private value = -1

  constructor(
    private readonly scratch: Uint32Array,
    fields: string[],
    private readonly kept: (index: number) => boolean,
    private readonly nodeFields = 1,
  ) {
    this.fields = fields.length
    this.index = fields.indexOf('object_index')
    this.line = fields.indexOf('line')
    this.column = fields.indexOf('column')
  }

  /** Reads from `at`; returns where the array ended in the chunk (after its `]`), or -1 if it goes on. */
  read(bytes: Buffer, at: number): number {
    const { scratch, fields } = this
    for (let from = at; from < bytes.length; ) {
      // Each number stored ends with a separator in the slice, and all but a cut one begin in it too.
      const slice = Math.min(bytes.length - from, 2 * (scratch.length - this.filled - 1))
      const close = fillNumbers(bytes.subarray(0, from + slice), from, scratch, this.filled, this.value)
      this.value = numberState[0] as number
      const count = numberState[1] as number
      const whole = count - (count % fields)
      for (let r = 0; r < whole; r += fields) {
        const index = scratch[r + this.index] as number
        if (!this.kept(index)) continue
        this.nodes.push(index)
        this.lines.push(scratch[r + this.line] as number)
        this.columns.push(scratch[r + this.column] as number)
      }
      scratch.copyWithin(0, whole, count)
      this.filled = count - whole
      if (close >= 0) return close + 1
      from += slice
    }
    return -1
  }

  /** The kept locations, ascending by node index (as V8 writes them, or sorted here if not). */
  end(): CodeLocations {
    const count = this.nodes.length
    const nodes = new Uint32Array(count)
    let ascending = true
    for (let i = 0; i < count; i++) {
      nodes[i] = (this.nodes[i] as number) / this.nodeFields
      if (i > 0 && (nodes[i] as number) < (nodes[i - 1] as number)) ascending = false
    }
    if (ascending)
      return { nodes, lines: Uint32Array.from(this.lines), columns: Uint32Array.from(this.columns) }
    // Sorted natively, not by a comparator: each record as one number, its node then its position (exact:
    // node ordinals times records stay far below 2^53).
    const keys = new Float64Array(count)
    for (let i = 0; i < count; i++) keys[i] = (nodes[i] as number) * count + i
    keys.sort()
    const lines = new Uint32Array(count)
    const columns = new Uint32Array(count)
    for (let k = 0; k < count; k++) {
      const i = (keys[k] as number) % count
      nodes[k] = Math.floor((keys[k] as number) / count)
      lines[k] = this.lines[i] as number
      columns[k] = this.columns[i] as number
    }
    return { nodes, lines, columns }
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
