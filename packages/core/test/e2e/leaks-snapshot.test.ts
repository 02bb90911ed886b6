import { readFileSync, rmSync } from 'node:fs'
import { Session } from 'node:inspector'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { SnapshotParser } from '../../src/heap/parser.js'
import { openHeapProfiler } from '../../src/heap/snapshot.js'

/** Parses a snapshot's text from its bytes cut into chunks of `size` bytes, as they are read from a file. */
function parseInChunks(text: string | Buffer, size: number) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  const parser = new SnapshotParser()
  for (let at = 0; at < bytes.length; at += size) parser.push(bytes.subarray(at, at + size))
  return parser.end()
}

// Strings a parser must decode across chunk boundaries: escapes, quotes, backslashes, non-ASCII, separators.
const tricky = ['quote " and \\ backslash', 'line\nbreak\ttab', 'é 🙂 \u2028 \u0001', '"]}', '\\"']
;(globalThis as { trickyStrings?: string[] }).trickyStrings = tricky

test('the streaming parser reads a real snapshot in any chunking exactly as JSON.parse does', async () => {
  const session = new Session()
  session.connect()
  const chunks: string[] = []
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => chunks.push(message.params.chunk))
  await new Promise<void>((resolve, reject) =>
    session.post('HeapProfiler.takeHeapSnapshot', {}, (error) => (error ? reject(error) : resolve())),
  )
  session.disconnect()
  const text = chunks.join('')
  const expected = JSON.parse(text) as { nodes: number[]; edges: number[]; strings: string[] }
  // The text has strings that need decoding (escapes, quotes, non-ASCII), which some chunking cuts through.
  expect(expected.strings.filter((string) => tricky.includes(string)).length).toBeGreaterThan(0)
  expect(expected.strings.some((string) => /["\\\n]/.test(string))).toBe(true)
  expect(expected.strings.some((string) => [...string].some((char) => char.charCodeAt(0) > 127))).toBe(true)
  // V8 writes ASCII (it escapes the rest): its bytes are its characters.
  const bytes = Buffer.from(text)
  expect(bytes.length).toBe(text.length)
  for (const size of [1, 7, 4093, bytes.length]) {
    const parsed = parseInChunks(bytes, size)
    expect(parsed.nodeCount * parsed.nodeFields).toBe(expected.nodes.length)
    expect(Array.from(parsed.nodes)).toEqual(expected.nodes)
    expect(Array.from(parsed.edges)).toEqual(expected.edges)
    expect(parsed.strings.toArray()).toEqual(expected.strings)
  }
  // V8's own chunking too (many chunks of its own size), as the session feeds it.
  const parser = new SnapshotParser()
  for (const chunk of chunks) parser.push(Buffer.from(chunk))
  expect(parser.end().strings.toArray()).toEqual(expected.strings)
  expect(chunks.length).toBeGreaterThan(1)
}, 300_000)

test('a snapshot cut short is an error, not a partial graph', () => {
  const session = openHeapProfiler()
  let text = ''
  try {
    // Written to a file as it streams; read back and cut.
    const path = join(tmpdir(), `memgate-cut-${process.pid}.heapsnapshot`)
    session.snapshot(path)
    text = readFileSync(path, 'utf8')
    rmSync(path)
  } finally {
    session.close()
  }
  const parser = new SnapshotParser()
  parser.push(Buffer.from(text.slice(0, Math.floor(text.length / 2))))
  expect(() => parser.end()).toThrow('the heap snapshot ended early')
})

test('a snapshot taken while V8 tracks allocations: its trace functions and tree are read in any chunking', async () => {
  const session = new Session()
  session.connect()
  const chunks: string[] = []
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => chunks.push(message.params.chunk))
  const post = (method: string, params: object) =>
    new Promise<void>((resolve, reject) =>
      session.post(method, params, (error) => (error ? reject(error) : resolve())),
    )
  await post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true })
  const held = Array.from({ length: 100 }, (_, i) => ({ i }))
  await post('HeapProfiler.takeHeapSnapshot', {})
  session.disconnect()
  expect(held).toHaveLength(100)
  const text = chunks.join('')
  type Tree = (number | Tree)[]
  const expected = JSON.parse(text) as {
    snapshot: { meta: { node_fields: string[] } }
    nodes: number[]
    trace_function_infos: number[]
    trace_tree: Tree
  }
  // The tree flattened as the parser keeps it: [id, function index, parent index] in document order.
  const flat: [number, number, number][] = []
  const walk = (tree: Tree, parent: number) => {
    for (let at = 0; at < tree.length; at += 5) {
      flat.push([tree[at] as number, tree[at + 1] as number, parent])
      walk(tree[at + 4] as Tree, flat.length - 1)
    }
  }
  walk(expected.trace_tree, -1)
  expect(flat.length).toBeGreaterThan(10)
  const traceField = expected.snapshot.meta.node_fields.indexOf('trace_node_id')
  const fields = expected.snapshot.meta.node_fields.length
  expect(expected.nodes.filter((_, at) => at % fields === traceField && _ > 0).length).toBeGreaterThan(100)
  for (const size of [1, 7, 4093, text.length]) {
    const parsed = parseInChunks(text, size)
    expect(parsed.node.traceNodeId).toBe(traceField)
    const traces = parsed.traces
    expect(traces).toBeDefined()
    if (!traces) continue
    expect(Array.from(traces.functions)).toEqual(expected.trace_function_infos)
    expect(Array.from(traces.ids, (id, at) => [id, traces.functionIndex[at], traces.parent[at]])).toEqual(
      flat,
    )
    expect(Array.from(parsed.nodes)).toEqual(expected.nodes)
  }
}, 300_000)

test('a snapshot taken without allocation tracking has no traces', () => {
  const session = openHeapProfiler()
  try {
    expect(session.snapshot().traces).toBeUndefined()
  } finally {
    session.close()
  }
})
