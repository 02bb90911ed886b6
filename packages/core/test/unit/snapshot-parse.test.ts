import { describe, expect, test } from 'vitest'
import { SnapshotParser } from '../../src/heap/parser.js'
import { edgeName, edgeType, nodeName, nodeType } from '../../src/heap/retainers.js'
import { parseInChunks } from './handmade-snapshot.js'

const META =
  '{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],' +
  '"node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic"],' +
  '"string","number","number","number","number","number"],' +
  '"edge_fields":["type","name_or_index","to_node"],' +
  '"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"]'

/**
 * A root holding an Order (property "order") and an elements store (element 0); the Order holds a string
 * (property "label") whose text needs decoding. Laid out as V8 writes it, a record per line.
 */
function snapshotText(nodeCount = 4): string {
  return [
    `{"snapshot":{"meta":${META}},"node_count":${nodeCount},"edge_count":3,"trace_function_count":0},`,
    '"nodes":[9,0,1,0,2,0,0',
    ',3,1,3,32,1,0,0',
    ',2,2,5,24,0,0,0',
    ',1,3,7,16,0,0,0],',
    '"edges":[2,4,7',
    ',1,0,21',
    ',2,5,14],',
    '"trace_function_infos":[],',
    '"trace_tree":[],',
    '"samples":[],',
    '"locations":[],',
    '"strings":["","Order","a \\"quoted\\" name, \\\\ é 🙂\\nnext line","(object elements)","order","label"]}',
  ].join('\n')
}

/** A string as V8 writes it into a snapshot: JSON, in ASCII only (every other character escaped). */
function asV8Writes(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

const NODES = [9, 0, 1, 0, 2, 0, 0, 3, 1, 3, 32, 1, 0, 0, 2, 2, 5, 24, 0, 0, 0, 1, 3, 7, 16, 0, 0, 0]
const EDGES = [2, 4, 7, 1, 0, 21, 2, 5, 14]
const STRINGS = ['', 'Order', 'a "quoted" name, \\ é 🙂\nnext line', '(object elements)', 'order', 'label']

// Both ways of reading the digits of `nodes` and `edges`: WebAssembly (the default where it runs) and the
// JavaScript loop it falls back to.
describe.each(['wasm', 'js'] as const)(
  'the streaming snapshot parser (%s digits), on a handmade snapshot',
  (numbers) => {
    const parse = (text: string) => parseInChunks(text, Number.POSITIVE_INFINITY, new SnapshotParser(numbers))
    const parseInChunksOf = (text: string | Buffer, size: number) =>
      parseInChunks(text, size, new SnapshotParser(numbers))

    test('reads the nodes, edges, strings and the layout the header announces', () => {
      const snapshot = parse(snapshotText())
      expect(snapshot.nodeCount).toBe(4)
      expect(snapshot.nodeFields).toBe(7)
      expect(snapshot.edgeFields).toBe(3)
      expect(snapshot.node).toEqual({ type: 0, name: 1, id: 2, selfSize: 3, edgeCount: 4, traceNodeId: 5 })
      expect(snapshot.edge).toEqual({ type: 0, nameOrIndex: 1, toNode: 2 })
      expect(snapshot.nodeTypes).toEqual([
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
      ])
      expect(snapshot.edgeTypes).toEqual([
        'context',
        'element',
        'property',
        'internal',
        'hidden',
        'shortcut',
        'weak',
      ])
      expect(snapshot.nodes).toBeInstanceOf(Uint32Array)
      expect(Array.from(snapshot.nodes)).toEqual(NODES)
      expect(Array.from(snapshot.edges)).toEqual(EDGES)
      expect(snapshot.strings.toArray()).toEqual(STRINGS)
      expect(snapshot.traces).toBeUndefined()
    })

    test('names nodes and edges through the string table', () => {
      const snapshot = parse(snapshotText())
      expect([0, 1, 2, 3].map((n) => `${nodeType(snapshot, n)} ${nodeName(snapshot, n)}`)).toEqual([
        'synthetic ',
        'object Order',
        `string ${STRINGS[2]}`,
        'array (object elements)',
      ])
      // Edge offsets: each edge is 3 numbers. An element edge is named by its index, not a string.
      expect([0, 3, 6].map((e) => `${edgeType(snapshot, e)} ${edgeName(snapshot, e)}`)).toEqual([
        'property order',
        'element 0',
        'property label',
      ])
    })

    test('gives the same result however the bytes are cut into chunks, also inside a character', () => {
      const text = snapshotText()
      const whole = parse(text)
      const bytes = Buffer.from(text)
      for (let size = 1; size <= bytes.length; size += size < 40 ? 1 : 37) {
        const parsed = parseInChunksOf(bytes, size)
        expect(Array.from(parsed.nodes), `chunks of ${size}`).toEqual(NODES)
        expect(Array.from(parsed.edges), `chunks of ${size}`).toEqual(EDGES)
        expect(parsed.strings.toArray(), `chunks of ${size}`).toEqual(whole.strings.toArray())
      }
    })

    test('is reset by end(): the same parser reads the next snapshot', () => {
      const parser = new SnapshotParser(numbers)
      parser.push(Buffer.from(snapshotText()))
      parser.end()
      parser.push(Buffer.from(snapshotText()))
      expect(parser.end().strings.toArray()).toEqual(STRINGS)
    })

    test('a snapshot cut anywhere before its last string is an error, not a partial graph', () => {
      const text = snapshotText()
      const end = text.lastIndexOf(']')
      for (const cut of [0, 40, text.indexOf('"nodes"') + 12, text.indexOf('"edges"') + 12, end - 5, end]) {
        const parser = new SnapshotParser(numbers)
        parser.push(Buffer.from(text.slice(0, cut)))
        expect(() => parser.end(), `cut at ${cut}`).toThrow(
          'Unreadable heap snapshot: the heap snapshot ended early.',
        )
      }
    })

    test('more or fewer values than the header announces are errors', () => {
      const over = new SnapshotParser(numbers)
      expect(() => over.push(Buffer.from(snapshotText(3)))).toThrow(
        'Unreadable heap snapshot: the heap snapshot has more values than its header announced.',
      )
      const under = new SnapshotParser(numbers)
      expect(() => under.push(Buffer.from(snapshotText(5)))).toThrow(
        'Unreadable heap snapshot: the heap snapshot has fewer values than its header announced.',
      )
    })

    test('cuts strings out of the bytes: brackets, section names and escapes inside strings are text', () => {
      const strings = [
        '',
        '[object Array]',
        '"strings":[',
        '"nodes":[',
        'ends with a backslash \\',
        'control \u0001 and \u2028',
        ']',
        '\\"',
      ]
      const text = [
        `{"snapshot":{"meta":${META}},"node_count":1,"edge_count":0,"trace_function_count":0},`,
        '"nodes":[9,0,1,0,0,0,0],',
        '"edges":[],',
        '"trace_function_infos":[],"trace_tree":[],"samples":[],"locations":[],',
        `"strings":[${strings.map(asV8Writes).join(',\n')}]}`,
      ].join('\n')
      expect(Buffer.byteLength(text)).toBe(text.length)
      for (let size = 1; size <= 64; size++)
        expect(parseInChunksOf(text, size).strings.toArray(), `chunks of ${size}`).toEqual(strings)
    })

    test('many strings and one escape far down the table: each string is found once, not searched again', () => {
      const strings = ['', ...Array.from({ length: 20_000 }, (_, i) => `name-${i}`), 'a \\ b', 'last']
      const text =
        `{"snapshot":{"meta":${META}},"node_count":1,"edge_count":0,"trace_function_count":0},\n` +
        `"nodes":[9,0,1,0,0,0,0],\n"edges":[],\n"strings":[${strings.map((string) => JSON.stringify(string)).join(',\n')}]}`
      for (const size of [7, 4096, text.length])
        expect(parseInChunksOf(text, size).strings.toArray()).toEqual(strings)
    })

    test("read to 'nodes', it stops after the nodes: no edges, no strings, and says it is done", () => {
      const text = snapshotText()
      for (const size of [1, 3, 50, text.length]) {
        const parser = new SnapshotParser(numbers)
        parser.reset('nodes')
        const bytes = Buffer.from(text)
        let pushed = 0
        while (!parser.done && pushed < bytes.length) {
          parser.push(bytes.subarray(pushed, pushed + size))
          pushed += size
        }
        expect(pushed, `chunks of ${size}`).toBeLessThan(text.indexOf('"edges"') + size + 1)
        const snapshot = parser.end()
        expect(Array.from(snapshot.nodes)).toEqual(NODES)
        expect(snapshot.edges).toHaveLength(0)
        expect(snapshot.strings.toArray()).toEqual([])
        expect(snapshot.nodeCount).toBe(4)
      }
      // end() resets to a whole snapshot.
      const parser = new SnapshotParser(numbers)
      parser.reset('nodes')
      parser.push(Buffer.from(text))
      parser.end()
      parser.push(Buffer.from(text))
      expect(parser.end().strings.toArray()).toEqual(STRINGS)
    })

    test('large values, and arrays longer than the copy buffer, cut anywhere: the values exactly', () => {
      // 200,000 nodes of 7 values (~3 MB of digits, more than the 1 MiB WebAssembly reads at a time), with
      // values up to 2³² - 1; edges empty.
      const count = 200_000
      const values = Array.from({ length: count * 7 }, (_, i) =>
        i % 7 === 2 ? 2 ** 32 - 1 - i : i % 7 === 3 ? (i * 2654435761) % 2 ** 31 : i % 10,
      )
      const text =
        `{"snapshot":{"meta":${META}},"node_count":${count},"edge_count":0,"trace_function_count":0},\n` +
        `"nodes":[${values.map((value, i) => (i > 0 && i % 7 === 0 ? `\n,${value}` : `${i > 0 ? ',' : ''}${value}`)).join('')}],\n` +
        '"edges":[],\n"strings":[""]}'
      for (const size of [1_000_003, 65_536, text.length]) {
        const parsed = parseInChunksOf(text, size)
        expect(parsed.nodes.length).toBe(values.length)
        // WebAssembly's arrays are views of its memory, after the MiB the chunks are copied into.
        expect((parsed.nodes as Uint32Array).byteOffset).toBe(numbers === 'wasm' ? 2 ** 20 : 0)
        expect(
          Array.from(parsed.nodes).every((value, i) => value === values[i]),
          `chunks of ${size}`,
        ).toBe(true)
      }
    })

    test('reads the allocation traces of a snapshot taken while V8 tracked allocations', () => {
      const text = [
        `{"snapshot":{"meta":${META},`,
        '"trace_function_info_fields":["function_id","name","script_name","script_id","line","column"],',
        '"trace_node_fields":["id","function_info_index","count","size","children"]},',
        '"node_count":2,"edge_count":1,"trace_function_count":2},',
        '"nodes":[9,0,1,0,1,0,0,3,1,3,32,0,2,0],',
        '"edges":[2,2,7],',
        '"trace_function_infos":[1,3,4,7,10,3,2,5,4,7,20,5],',
        // Root node 1 (function 0) with child 2 (function 1), then a second root 3 (function 1).
        '"trace_tree":[1,0,1,32,[2,1,3,96,[]],3,1,1,16,[]],',
        '"samples":[],"locations":[],',
        '"strings":["","Order","order","main","file:///app/orders.js","openOrder"]}',
      ].join('\n')
      for (const size of [1, 5, text.length]) {
        const snapshot = parseInChunksOf(text, size)
        expect(Array.from(snapshot.nodes)).toEqual([9, 0, 1, 0, 1, 0, 0, 3, 1, 3, 32, 0, 2, 0])
        expect(snapshot.node.traceNodeId).toBe(5)
        const traces = snapshot.traces
        expect(traces).toBeDefined()
        if (!traces) return
        expect(Array.from(traces.functions)).toEqual([1, 3, 4, 7, 10, 3, 2, 5, 4, 7, 20, 5])
        expect(traces.functionFields).toBe(6)
        expect(traces.function).toEqual({ name: 1, scriptName: 2, line: 4, column: 5 })
        expect(Array.from(traces.ids)).toEqual([1, 2, 3])
        expect(Array.from(traces.functionIndex)).toEqual([0, 1, 1])
        expect(Array.from(traces.parent)).toEqual([-1, 0, -1])
        expect(snapshot.strings.toArray()).toEqual([
          '',
          'Order',
          'order',
          'main',
          'file:///app/orders.js',
          'openOrder',
        ])
      }
    })

    test("keeps the functions' code locations, and only theirs, wherever the chunks cut them", () => {
      // Node 1 an object (V8 gives it its constructor's location), nodes 2 and 3 functions, node 3 at line 1234.
      const header = `{"snapshot":{"meta":${META},"location_fields":["object_index","script_id","line","column"]},`
      const text = [
        `${header}"node_count":4,"edge_count":0,"trace_function_count":0},`,
        '"nodes":[9,0,1,0,0,0,0,3,1,3,32,0,0,0,5,2,5,8,0,0,0,5,2,7,8,0,0,0],',
        '"edges":[],"trace_function_infos":[],"trace_tree":[],"samples":[],',
        '"locations":[7,12,4,2,14,12,9,17,21,12,1234,56],',
        '"strings":["","Order","onTick"]}',
      ].join('\n')
      for (const size of [1, 3, 7, text.length]) {
        const { locations, strings } = parseInChunksOf(text, size)
        expect(Array.from(locations?.nodes ?? []), `chunks of ${size}`).toEqual([2, 3])
        expect(Array.from(locations?.lines ?? [])).toEqual([9, 1234])
        expect(Array.from(locations?.columns ?? [])).toEqual([17, 56])
        expect(strings.toArray()).toEqual(['', 'Order', 'onTick'])
      }
      // Written out of order, they are sorted by node, each with its own line and column.
      const shuffled = text.replace(
        '[7,12,4,2,14,12,9,17,21,12,1234,56]',
        '[21,12,1234,56,7,12,4,2,14,12,9,17]',
      )
      const { locations } = parseInChunksOf(shuffled, 5)
      expect(Array.from(locations?.nodes ?? [])).toEqual([2, 3])
      expect(Array.from(locations?.lines ?? [])).toEqual([9, 1234])
      expect(Array.from(locations?.columns ?? [])).toEqual([17, 56])
    })
  },
)
