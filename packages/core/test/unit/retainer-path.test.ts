import { describe, expect, test } from 'vitest'
import { buildRetainerGraph, formatRetainerPath, rawPath } from '../../src/heap/retainers.js'
import { type HandmadeEdge, type HandmadeNode, heapSnapshotText, parse } from './handmade-snapshot.js'

function graphOf(nodes: HandmadeNode[], edges: HandmadeEdge[]) {
  return buildRetainerGraph(parse(heapSnapshotText(nodes, edges)))
}

describe('formatRetainerPath, on handmade snapshots', () => {
  test('a global holding an array of sessions: properties joined, elements by index, V8 stores left out', () => {
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'synthetic', name: '(GC roots)' }, // 1
      { type: 'object', name: 'global' }, // 2
      { type: 'object', name: 'Object' }, // 3
      { type: 'object', name: 'Array' }, // 4
      { type: 'array', name: '(object elements)' }, // 5
      { type: 'object', name: 'Session' }, // 6
      { type: 'object', name: 'Session' }, // 7
      { type: 'object', name: 'Orphan' }, // 8
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'element', name: 1, to: 2 },
      { from: 2, type: 'property', name: 'registry', to: 3 },
      { from: 3, type: 'property', name: 'sessions', to: 4 },
      { from: 4, type: 'internal', name: 'elements', to: 5 },
      { from: 5, type: 'element', name: 0, to: 6 },
      { from: 5, type: 'element', name: 1, to: 7 },
      // A longer way to the first session is not the one shown.
      { from: 7, type: 'property', name: 'previous', to: 6 },
    ]
    const graph = graphOf(nodes, edges)
    expect(formatRetainerPath(graph, 6)).toBe('global → registry.sessions (Array) → [0] → Session')
    expect(formatRetainerPath(graph, 7)).toBe('global → registry.sessions (Array) → [1] → Session')
    expect(rawPath(graph, 6).map((step) => step.node)).toEqual([1, 2, 3, 4, 5, 6])
    expect(formatRetainerPath(graph, 8)).toBe('(unreachable)')
  })

  test('weak edges and compiled code do not retain', () => {
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'object', name: 'global' }, // 1
      { type: 'object', name: 'Cached' }, // 2
      { type: 'code', name: 'optimized code' }, // 3
      { type: 'object', name: 'Feedback' }, // 4
      { type: 'object', name: 'Held' }, // 5
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'weak', name: 'cache', to: 2 },
      { from: 1, type: 'property', name: 'code', to: 3 },
      { from: 3, type: 'internal', name: 'feedback', to: 4 },
      { from: 1, type: 'property', name: 'held', to: 5 },
    ]
    const graph = graphOf(nodes, edges)
    expect(formatRetainerPath(graph, 2)).toBe('(unreachable)')
    expect(formatRetainerPath(graph, 4)).toBe('(unreachable)')
    expect(formatRetainerPath(graph, 5)).toBe('global → held (Held)')
  })

  test("a module's variable: the path starts at the module, named by its function's script", () => {
    const cwd = process.cwd()
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'closure', name: '' }, // 1: the module's wrapper
      { type: 'object', name: 'system / Context' }, // 2: its scope
      { type: 'hidden', name: 'system / NativeContext' }, // 3
      { type: 'code', name: 'system / SharedFunctionInfo' }, // 4
      { type: 'code', name: `file://${cwd}/src/orders.ts` }, // 5: the Script
      { type: 'object', name: 'Map' }, // 6
      { type: 'array', name: 'system / OrderedHashMap' }, // 7
      { type: 'object', name: 'PriceQuote' }, // 8
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'shortcut', name: 'wrapper', to: 1 },
      { from: 1, type: 'internal', name: 'context', to: 2 },
      { from: 1, type: 'internal', name: 'shared', to: 4 },
      { from: 2, type: 'internal', name: 'previous', to: 3 },
      { from: 2, type: 'context', name: 'quoteCache', to: 6 },
      { from: 4, type: 'internal', name: 'script', to: 5 },
      { from: 6, type: 'internal', name: 'table', to: 7 },
      { from: 7, type: 'internal', name: '3', to: 8 },
    ]
    expect(formatRetainerPath(graphOf(nodes, edges), 8)).toBe(
      'module src/orders.ts → quoteCache (Map) → PriceQuote',
    )
  })

  test("a block scope's variable is named by its ScopeInfo when every slot holds an object, else by the live heap", () => {
    // A module as Vite runs it: its variables in a block scope, held by unnamed slots (small integers have none).
    const cwd = process.cwd()
    const nodes = (slots: number): HandmadeNode[] => [
      { type: 'synthetic', name: '' }, // 0
      { type: 'closure', name: '' }, // 1: a function of the module
      { type: 'object', name: 'system / Context', selfSize: 8 * (4 + slots) }, // 2: the module's scope
      { type: 'hidden', name: 'system / NativeContext' }, // 3
      { type: 'code', name: 'system / ScopeInfo' }, // 4
      { type: 'string', name: '__vite_ssr_import_0__' }, // 5
      { type: 'string', name: 'store' }, // 6
      { type: 'string', name: 'handler' }, // 7
      { type: 'object', name: 'Object' }, // 8: the import
      { type: 'object', name: 'Object' }, // 9: store
      { type: 'object', name: 'Array' }, // 10
      { type: 'object', name: 'Marker' }, // 11
      { type: 'code', name: 'system / SharedFunctionInfo' }, // 12
      { type: 'hidden', name: `file://${cwd}/src/store.ts` }, // 13
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'internal', name: 'context', to: 2 },
      { from: 1, type: 'internal', name: 'shared', to: 12 },
      { from: 2, type: 'internal', name: 'scope_info', to: 4 },
      { from: 2, type: 'internal', name: 'previous', to: 3 },
      { from: 2, type: 'hidden', name: 0, to: 8 },
      { from: 2, type: 'hidden', name: 1, to: 9 },
      { from: 2, type: 'hidden', name: 2, to: 1 },
      { from: 4, type: 'hidden', name: 0, to: 5 },
      { from: 4, type: 'hidden', name: 1, to: 6 },
      { from: 4, type: 'hidden', name: 2, to: 7 },
      { from: 9, type: 'property', name: 'items', to: 10 },
      { from: 10, type: 'element', name: 0, to: 11 },
      { from: 12, type: 'internal', name: 'script', to: 13 },
    ]
    let asked = 0
    const live = () => {
      asked++
      return 'store'
    }
    // Three names, three slots by the context's size, three edges: the list is exact, the heap is not asked.
    expect(formatRetainerPath(graphOf(nodes(3), edges), 11, live)).toBe(
      'module src/store.ts → store.items (Array) → [0] → Marker',
    )
    expect(asked).toBe(0)
    // A fourth slot without an edge holds a small integer: which name goes with which edge is the heap's to say.
    const withInteger = nodes(4)
    expect(formatRetainerPath(graphOf(withInteger, edges), 11, live)).toBe(
      'module src/store.ts → store.items (Array) → [0] → Marker',
    )
    expect(asked).toBe(1)
    expect(formatRetainerPath(graphOf(withInteger, edges), 11)).toBe(
      'module src/store.ts → Object.items (Array) → [0] → Marker',
    )
  })

  test('a linked list is one step with its length: a run of the same step is counted, not repeated', () => {
    const links = 20
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' },
      { type: 'object', name: 'global' },
      ...Array.from({ length: links }, () => ({ type: 'object', name: 'Link' })),
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'property', name: 'head', to: 2 },
      ...Array.from({ length: links - 1 }, (_, i) => ({
        from: 2 + i,
        type: 'property',
        name: 'next',
        to: 3 + i,
      })),
    ]
    // In full: global, head (Link), then 19 times next (Link): the last one named as the object it leads to.
    expect(formatRetainerPath(graphOf(nodes, edges), links + 1)).toBe(
      'global → head (Link) → next (Link) ×19',
    )
    expect(formatRetainerPath(graphOf(nodes, edges), 4)).toBe('global → head (Link) → next (Link) ×2')
  })

  test('a path of more than 13 different steps keeps 6 at each end and counts those left out', () => {
    const depth = 20
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' },
      { type: 'object', name: 'global' },
      ...Array.from({ length: depth }, (_, i) => ({ type: 'object', name: `Level${i}` })),
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'property', name: 'top', to: 2 },
      ...Array.from({ length: depth - 1 }, (_, i) => ({
        from: 2 + i,
        type: 'property',
        name: 'down',
        to: 3 + i,
      })),
    ]
    // In full: global, top (Level0), down (Level1) … down (Level19): 21 parts, 9 of them left out.
    const downs = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `down (Level${from + i})`)
    expect(formatRetainerPath(graphOf(nodes, edges), depth + 1)).toBe(
      ['global', 'top (Level0)', ...downs(1, 4), '… 9 more steps …', ...downs(14, 19)].join(' → '),
    )
  })
})
