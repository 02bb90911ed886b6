import { describe, expect, test } from 'vitest'
import { groupNewObjects } from '../../src/heap/groups.js'
import { buildRetainerGraph, formatRetainerPath, isInternalScript } from '../../src/heap/retainers.js'
import type { Frame } from '../../src/measure/profile.js'
import { type HandmadeEdge, type HandmadeNode, heapSnapshotText, parse } from './handmade-snapshot.js'

// Node n has id 2n + 1 (handmade-snapshot.ts): a mark of 2k + 1 makes nodes 0…k old and the rest new.
const graphOf = (nodes: HandmadeNode[], edges: HandmadeEdge[]) =>
  buildRetainerGraph(parse(heapSnapshotText(nodes, edges)))

describe('external memory in the groups', () => {
  const nodes: HandmadeNode[] = [
    { type: 'synthetic', name: '' }, // 0
    { type: 'object', name: 'global' }, // 1
    { type: 'object', name: 'Array', selfSize: 32 }, // 2: the module's `kept`, old
    { type: 'object', name: 'ArrayBuffer', selfSize: 88 }, // 3: Buffer's pool, old
    { type: 'native', name: 'system / JSArrayBufferData', selfSize: 8192 }, // 4: old
    { type: 'object', name: 'Buffer', selfSize: 96 }, // 5: new from here on
    { type: 'object', name: 'ArrayBuffer', selfSize: 88 }, // 6
    { type: 'native', name: 'system / JSArrayBufferData', selfSize: 5_000_000 }, // 7
    { type: 'object', name: 'ArrayBuffer', selfSize: 88 }, // 8: held alone
    { type: 'native', name: 'system / JSArrayBufferData', selfSize: 4096 }, // 9
    { type: 'object', name: 'Uint8Array', selfSize: 96 }, // 10: a small Buffer on the old pool
  ]
  const edges: HandmadeEdge[] = [
    { from: 0, type: 'element', name: 1, to: 1 },
    { from: 1, type: 'property', name: 'kept', to: 2 },
    { from: 1, type: 'property', name: 'pool', to: 3 },
    { from: 2, type: 'element', name: 0, to: 5 },
    { from: 2, type: 'element', name: 1, to: 8 },
    { from: 2, type: 'element', name: 2, to: 10 },
    { from: 3, type: 'internal', name: 'backing_store', to: 4 },
    { from: 5, type: 'internal', name: 'buffer', to: 6 },
    { from: 6, type: 'internal', name: 'backing_store', to: 7 },
    { from: 8, type: 'internal', name: 'backing_store', to: 9 },
    { from: 10, type: 'internal', name: 'buffer', to: 3 },
  ]
  const graph = graphOf(nodes, edges)
  // The mark is node 4's id: nodes 0…4 were alive before the span.
  const groups = groupNewObjects(graph, 2 * 4 + 1)

  test("a Buffer's contents count for the Buffer, as external bytes, and its path leads to it", () => {
    expect(groups.get('Buffer')?.group).toEqual({
      kind: 'Buffer',
      count: 1,
      bytes: 96 + 5_000_000,
      externalBytes: 5_000_000,
    })
    expect(formatRetainerPath(graph, groups.get('Buffer')?.first ?? -1)).toBe(
      'global → kept (Array) → [0] → Buffer',
    )
  })

  test('an ArrayBuffer held alone keeps its own contents; a view on an older buffer adds only itself', () => {
    expect(groups.get('ArrayBuffer')?.group).toMatchObject({
      count: 2,
      bytes: 88 + 88 + 4096,
      externalBytes: 4096,
    })
    expect(groups.get('Uint8Array')?.group).toMatchObject({ count: 1, bytes: 96, externalBytes: 0 })
  })
})

describe('the holder a path starts at', () => {
  test('an object a user module holds is shown as held by it, though a Node module holds it by as short a way', () => {
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'synthetic', name: '(GC roots)' }, // 1
      { type: 'closure', name: 'processTicks' }, // 2: Node's
      { type: 'code', name: 'system / SharedFunctionInfo' }, // 3
      { type: 'hidden', name: 'node:internal/process/task_queues' }, // 4: its script
      { type: 'object', name: 'system / Context' }, // 5
      { type: 'object', name: 'Signal' }, // 6
      { type: 'object', name: 'global' }, // 7
      { type: 'object', name: 'Controller' }, // 8
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'element', name: 1, to: 2 },
      { from: 1, type: 'element', name: 2, to: 7 },
      { from: 2, type: 'internal', name: 'shared', to: 3 },
      { from: 2, type: 'internal', name: 'context', to: 5 },
      { from: 3, type: 'internal', name: 'script', to: 4 },
      { from: 5, type: 'context', name: 'queue', to: 6 },
      { from: 7, type: 'property', name: 'controller', to: 8 },
      { from: 8, type: 'property', name: 'signal', to: 6 },
    ]
    expect(formatRetainerPath(graphOf(nodes, edges), 6)).toBe(
      'global → controller (Controller) → signal (Signal)',
    )
    // Held by Node's module alone, it is shown as held by that.
    const alone = edges.filter((edge) => edge.from !== 8)
    expect(formatRetainerPath(graphOf(nodes, alone), 6)).toMatch(/queue \(Signal\)$/)
  })

  test("Node's own and memgate's own scripts are internal; a user's are not", () => {
    expect(isInternalScript('node:internal/timers')).toBe(true)
    expect(isInternalScript(new URL('../../dist/heap/snapshot.js', import.meta.url).pathname)).toBe(true)
    expect(isInternalScript(new URL('../../test/unit/leak-holders.test.ts', import.meta.url).pathname)).toBe(
      false,
    )
    expect(isInternalScript('/home/me/app/src/bus.ts')).toBe(false)
  })

  test('a pending timer is the holder, not the timer lists of node:timers', () => {
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'closure', name: 'get' }, // 1: a function of node:timers, whose context is the module's
      { type: 'code', name: 'system / SharedFunctionInfo' }, // 2
      { type: 'hidden', name: 'node:timers' }, // 3
      { type: 'object', name: 'system / Context' }, // 4
      { type: 'object', name: 'system / NativeContext' }, // 5
      { type: 'object', name: 'Object' }, // 6: timerListMap
      { type: 'object', name: 'TimersList' }, // 7
      { type: 'object', name: 'Timeout' }, // 8
      { type: 'object', name: 'Timeout' }, // 9
      { type: 'closure', name: 'tick', location: [11, 4] }, // 10: at line 12 of its script
      { type: 'object', name: 'system / Context' }, // 11
      { type: 'object', name: 'Report' }, // 12
      { type: 'code', name: 'system / SharedFunctionInfo' }, // 13
      { type: 'hidden', name: `file://${process.cwd()}/src/report.ts` }, // 14
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'internal', name: 'shared', to: 2 },
      { from: 1, type: 'internal', name: 'context', to: 4 },
      { from: 2, type: 'internal', name: 'script', to: 3 },
      { from: 4, type: 'internal', name: 'previous', to: 5 },
      { from: 4, type: 'context', name: 'timerListMap', to: 6 },
      { from: 6, type: 'element', name: 600000, to: 7 },
      { from: 7, type: 'property', name: '_idleNext', to: 8 },
      { from: 8, type: 'property', name: '_idleNext', to: 9 },
      { from: 9, type: 'property', name: '_onTimeout', to: 10 },
      { from: 10, type: 'internal', name: 'context', to: 11 },
      { from: 10, type: 'internal', name: 'shared', to: 13 },
      { from: 11, type: 'context', name: 'report', to: 12 },
      { from: 13, type: 'internal', name: 'script', to: 14 },
    ]
    expect(formatRetainerPath(graphOf(nodes, edges), 12)).toBe(
      'timer of 600000 ms (Timeout) → _onTimeout → closure tick (src/report.ts:12) → report (Report)',
    )
    // Source-mapped by the caller's locator: the line in the file the code was transformed from.
    const locate = (frame: Frame) => ({ ...frame, url: frame.url.replace(/\.ts$/, '.source.ts'), line: 40 })
    expect(formatRetainerPath(graphOf(nodes, edges), 12, undefined, locate)).toBe(
      'timer of 600000 ms (Timeout) → _onTimeout → closure tick (src/report.source.ts:40) → report (Report)',
    )
  })

  test("an anonymous listener's captured variable is the listener's, not its module's", () => {
    // `bus.on('tick', () => big.length)` in a module as Vitest runs it (its variables reached by a getter).
    const script = `${process.cwd()}/src/bus.ts`
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'closure', name: 'get bus' }, // 1: Vitest's getter of the export
      { type: 'code', name: 'system / SharedFunctionInfo' }, // 2
      { type: 'hidden', name: script }, // 3
      { type: 'object', name: 'system / Context' }, // 4: the module's scope
      { type: 'object', name: 'system / NativeContext' }, // 5
      { type: 'object', name: 'EventEmitter' }, // 6
      { type: 'object', name: 'Object' }, // 7: _events
      { type: 'object', name: 'Array' }, // 8: the listeners of `tick`
      { type: 'closure', name: '', location: [12, 20] }, // 9: the listener, at line 13
      { type: 'code', name: 'system / SharedFunctionInfo' }, // 10
      { type: 'object', name: 'system / Context' }, // 11: the listener's scope
      { type: 'object', name: 'Array' }, // 12: big
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'internal', name: 'shared', to: 2 },
      { from: 1, type: 'internal', name: 'context', to: 4 },
      { from: 2, type: 'internal', name: 'script', to: 3 },
      { from: 4, type: 'internal', name: 'previous', to: 5 },
      { from: 4, type: 'context', name: 'bus', to: 6 },
      { from: 6, type: 'property', name: '_events', to: 7 },
      { from: 7, type: 'property', name: 'tick', to: 8 },
      { from: 8, type: 'element', name: 0, to: 9 },
      { from: 9, type: 'internal', name: 'shared', to: 10 },
      { from: 9, type: 'internal', name: 'context', to: 11 },
      { from: 10, type: 'internal', name: 'script', to: 3 },
      { from: 11, type: 'internal', name: 'previous', to: 4 },
      { from: 11, type: 'context', name: 'big', to: 12 },
    ]
    expect(formatRetainerPath(graphOf(nodes, edges), 12)).toBe(
      'module src/bus.ts → bus (EventEmitter) → _events.tick (Array) → [0] → closure (src/bus.ts:13) → big (Array)',
    )
  })

  test("a getter of an object a function made reads that function's variables, not its module's", () => {
    // `return { get sessions() { return registry.sessions.length } }` in `createVariant` of src/variant.ts.
    const script = `${process.cwd()}/src/variant.ts`
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'object', name: 'global' }, // 1
      { type: 'object', name: 'Object' }, // 2: the variant
      { type: 'closure', name: 'get sessions', location: [18, 4] }, // 3
      { type: 'code', name: 'system / SharedFunctionInfo' }, // 4
      { type: 'hidden', name: script }, // 5
      { type: 'object', name: 'system / Context' }, // 6: createVariant's scope
      { type: 'object', name: 'system / Context' }, // 7: the module's
      { type: 'object', name: 'system / NativeContext' }, // 8
      { type: 'object', name: 'SessionRegistry' }, // 9
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'property', name: 'variant', to: 2 },
      { from: 2, type: 'property', name: 'get sessions', to: 3 },
      { from: 3, type: 'internal', name: 'shared', to: 4 },
      { from: 3, type: 'internal', name: 'context', to: 6 },
      { from: 4, type: 'internal', name: 'script', to: 5 },
      { from: 6, type: 'internal', name: 'previous', to: 7 },
      { from: 6, type: 'context', name: 'registry', to: 9 },
      { from: 7, type: 'internal', name: 'previous', to: 8 },
    ]
    expect(formatRetainerPath(graphOf(nodes, edges), 9)).toBe(
      'global → variant → closure get sessions (src/variant.ts:19) → registry (SessionRegistry)',
    )
    // A getter whose scope is the module's (Vitest's getter of an export) leads into the module.
    const exported = edges.map((edge) =>
      edge.from === 3 && edge.name === 'context' ? { ...edge, to: 7 } : edge,
    )
    exported.push({ from: 7, type: 'context', name: 'registry', to: 9 })
    expect(formatRetainerPath(graphOf(nodes, exported), 9)).toBe(
      'module src/variant.ts → registry (SessionRegistry)',
    )
  })

  test("an AbortSignal's listener is named by its event, not by Node's list of listeners", () => {
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'object', name: 'global' }, // 1
      { type: 'object', name: 'AbortController' }, // 2
      { type: 'object', name: 'EventTarget' }, // 3: made as an EventTarget, with AbortSignal's prototype
      { type: 'object', name: 'AbortSignal' }, // 4: the prototype
      { type: 'object', name: 'Map' }, // 5: listeners by event type
      { type: 'array', name: '' }, // 6: its table
      { type: 'string', name: 'abort' }, // 7
      { type: 'object', name: 'Object' }, // 8: the list of `abort`
      { type: 'object', name: 'Listener' }, // 9
      { type: 'object', name: 'Listener' }, // 10
      { type: 'closure', name: 'onShutdown' }, // 11
      { type: 'object', name: 'system / Context' }, // 12
      { type: 'object', name: 'Hook' }, // 13
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'property', name: 'shutdown', to: 2 },
      { from: 2, type: 'property', name: '#signal', to: 3 },
      { from: 3, type: 'property', name: '__proto__', to: 4 },
      { from: 3, type: 'property', name: '<symbol kEvents>', to: 5 },
      { from: 5, type: 'internal', name: 'table', to: 6 },
      { from: 6, type: 'internal', name: '5', to: 7 },
      { from: 6, type: 'internal', name: '6', to: 8 },
      { from: 8, type: 'property', name: 'next', to: 9 },
      { from: 9, type: 'property', name: 'next', to: 10 },
      { from: 10, type: 'property', name: 'listener', to: 11 },
      { from: 11, type: 'internal', name: 'context', to: 12 },
      { from: 12, type: 'context', name: 'hook', to: 13 },
    ]
    const graph = graphOf(nodes, edges)
    expect(formatRetainerPath(graph, 13)).toBe(
      "global → shutdown (AbortController) → #signal (AbortSignal) → 'abort' listener → closure onShutdown → hook (Hook)",
    )
    expect(formatRetainerPath(graph, 10)).toBe(
      "global → shutdown (AbortController) → #signal (AbortSignal) → 'abort' listener → Listener",
    )
  })

  test('a process.on handler is named by its event, whatever holds the process and however Node lists it', () => {
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'object', name: 'global' }, // 1
      { type: 'object', name: 'process' }, // 2
      { type: 'object', name: 'Object' }, // 3: _events
      { type: 'object', name: 'Array' }, // 4: the handlers of `exit`: Vitest's, then the user's
      { type: 'closure', name: 'onWorkerExit' }, // 5
      { type: 'closure', name: 'removeTempFiles' }, // 6
      { type: 'object', name: 'system / Context' }, // 7
      { type: 'object', name: 'Array' }, // 8: files
      { type: 'object', name: 'TempFile' }, // 9
      { type: 'closure', name: 'native_bind' }, // 10: `process.once('reload', onReload)`'s wrapper
      { type: 'closure', name: 'onReload' }, // 11
      { type: 'object', name: 'system / Context' }, // 12
      { type: 'object', name: 'Config' }, // 13
      { type: 'object', name: 'Queue' }, // 14: a user's object named like Node's, not the process
      { type: 'closure', name: 'drain' }, // 15
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'property', name: 'process', to: 2 },
      { from: 2, type: 'property', name: '_events', to: 3 },
      { from: 3, type: 'property', name: 'exit', to: 4 },
      { from: 3, type: 'property', name: 'reload', to: 10 },
      { from: 4, type: 'element', name: 0, to: 5 },
      { from: 4, type: 'element', name: 1, to: 6 },
      { from: 6, type: 'internal', name: 'context', to: 7 },
      { from: 7, type: 'context', name: 'files', to: 8 },
      { from: 8, type: 'element', name: 0, to: 9 },
      { from: 10, type: 'property', name: 'listener', to: 11 },
      { from: 11, type: 'internal', name: 'context', to: 12 },
      { from: 12, type: 'context', name: 'config', to: 13 },
      { from: 1, type: 'property', name: 'queue', to: 14 },
      { from: 14, type: 'property', name: '_events', to: 15 },
    ]
    const graph = graphOf(nodes, edges)
    expect(formatRetainerPath(graph, 9)).toBe(
      "process → 'exit' listener → closure removeTempFiles → files (Array) → [0] → TempFile",
    )
    expect(formatRetainerPath(graph, 6)).toBe("process → 'exit' listener → closure removeTempFiles")
    expect(formatRetainerPath(graph, 13)).toBe(
      "process → 'reload' listener → closure onReload → config (Config)",
    )
    // Reached from the running stack rather than from `global`, the process is the holder all the same.
    const stack = [{ type: 'synthetic', name: '(Stack roots)' }, ...nodes.slice(1)]
    expect(formatRetainerPath(graphOf(stack, edges), 9)).toMatch(/^process → 'exit' listener → /)
    // Only the process's own events are its listeners.
    expect(formatRetainerPath(graph, 15)).toBe('global → queue (Queue) → _events → closure drain')
  })

  test("a promise's pending reactions are named, and a run of them counted", () => {
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'object', name: 'global' }, // 1
      { type: 'object', name: 'Promise' }, // 2
      { type: 'hidden', name: 'system / PromiseReaction' }, // 3
      { type: 'hidden', name: 'system / PromiseReaction' }, // 4
      { type: 'closure', name: 'onReady' }, // 5
      { type: 'object', name: 'system / Context' }, // 6
      { type: 'object', name: 'Rows' }, // 7
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'property', name: 'ready', to: 2 },
      { from: 2, type: 'internal', name: 'reactions_or_result', to: 3 },
      { from: 3, type: 'hidden', name: 0, to: 4 },
      { from: 4, type: 'hidden', name: 1, to: 5 },
      { from: 5, type: 'internal', name: 'context', to: 6 },
      { from: 6, type: 'context', name: 'rows', to: 7 },
    ]
    expect(formatRetainerPath(graphOf(nodes, edges), 7)).toBe(
      'global → ready (Promise) → reaction ×2 → closure onReady → rows (Rows)',
    )
  })

  test('an ES module imported by another is the holder of its exported bindings, named after its own file', () => {
    const cwd = process.cwd()
    const nodes: HandmadeNode[] = [
      { type: 'synthetic', name: '' }, // 0
      { type: 'object', name: 'ModuleWrap' }, // 1: the entry module, Node's record
      { type: 'string', name: `file://${cwd}/main.mts` }, // 2
      { type: 'hidden', name: 'system / SourceTextModule' }, // 3: the entry, V8's record
      { type: 'array', name: '' }, // 4: its imports
      { type: 'hidden', name: 'system / SourceTextModule' }, // 5: the imported module
      { type: 'object', name: 'Generator' }, // 6: its code
      { type: 'closure', name: '' }, // 7
      { type: 'code', name: 'system / SharedFunctionInfo' }, // 8
      { type: 'hidden', name: `file://${cwd}/src/store.ts` }, // 9: its script
      { type: 'array', name: '' }, // 10: its exported bindings
      { type: 'hidden', name: 'system / Cell' }, // 11
      { type: 'closure', name: 'Store' }, // 12: `export class Store`
      { type: 'object', name: 'Array' }, // 13
      { type: 'object', name: 'Item' }, // 14
    ]
    const edges: HandmadeEdge[] = [
      { from: 0, type: 'element', name: 1, to: 1 },
      { from: 1, type: 'property', name: 'url', to: 2 },
      { from: 1, type: 'internal', name: 2, to: 3 },
      { from: 3, type: 'hidden', name: 7, to: 4 },
      { from: 4, type: 'internal', name: 0, to: 5 },
      { from: 5, type: 'hidden', name: 4, to: 6 },
      { from: 5, type: 'hidden', name: 0, to: 10 },
      { from: 6, type: 'internal', name: 'function', to: 7 },
      { from: 7, type: 'internal', name: 'shared', to: 8 },
      { from: 8, type: 'internal', name: 'script', to: 9 },
      { from: 10, type: 'internal', name: 62, to: 11 },
      { from: 11, type: 'internal', name: 'value', to: 12 },
      { from: 12, type: 'property', name: 'items', to: 13 },
      { from: 13, type: 'element', name: 0, to: 14 },
    ]
    expect(formatRetainerPath(graphOf(nodes, edges), 14)).toBe(
      'module src/store.ts → Store.items (Array) → [0] → Item',
    )
    // Held by the entry module's own binding, it is the entry's, named by Node's record.
    const own = edges.map((edge) => (edge.from === 4 ? { ...edge, to: 10 } : edge))
    expect(formatRetainerPath(graphOf(nodes, own), 14)).toBe(
      'module main.mts → Store.items (Array) → [0] → Item',
    )
  })
})

describe('what Node keeps for itself', () => {
  // A module (node 2, Node's record of it) whose variable holds a Row and a label; Node's source map of it,
  // on a private symbol and in the slot of the record's property array, holds its mappings and the label too.
  const nodes: HandmadeNode[] = [
    { type: 'synthetic', name: '' }, // 0
    { type: 'object', name: 'global' }, // 1
    { type: 'object', name: 'ModuleWrap' }, // 2
    { type: 'string', name: `file://${process.cwd()}/leaky.ts` }, // 3
    { type: 'hidden', name: 'system / PropertyArray' }, // 4
    { type: 'object', name: 'Object', selfSize: 40 }, // 5: new from here on: the source map's data
    { type: 'string', name: 'AAAA,CAAC', selfSize: 290_000 }, // 6: its mappings
    { type: 'object', name: 'Row', selfSize: 32 }, // 7
    { type: 'string', name: 'row 1', selfSize: 20 }, // 8
    { type: 'object', name: 'LoadCache', selfSize: 40 }, // 9: the loader's
    { type: 'object', name: 'Object', selfSize: 48 }, // 10: an entry of it
  ]
  const edges: HandmadeEdge[] = [
    { from: 0, type: 'element', name: 1, to: 1 },
    { from: 0, type: 'element', name: 2, to: 2 },
    { from: 1, type: 'property', name: 'loadCache', to: 9 },
    { from: 2, type: 'property', name: 'url', to: 3 },
    { from: 2, type: 'internal', name: 'properties', to: 4 },
    { from: 2, type: 'property', name: '<symbol node:source_map_data_private_symbol>', to: 5 },
    { from: 2, type: 'property', name: 'row', to: 7 },
    { from: 4, type: 'hidden', name: 3, to: 5 },
    { from: 5, type: 'property', name: 'mappings', to: 6 },
    { from: 5, type: 'property', name: 'label', to: 8 },
    { from: 7, type: 'property', name: 'label', to: 8 },
    { from: 9, type: 'element', name: 0, to: 10 },
  ]
  const graph = graphOf(nodes, edges)

  test("is no kind, and an object the user's code also holds is the user's", () => {
    const own = { count: 0, bytes: 0 }
    const groups = groupNewObjects(graph, 2 * 4 + 1, own)
    expect(own).toEqual({ count: 4, bytes: 40 + 290_000 + 40 + 48 })
    expect([...groups.keys()].sort()).toEqual(['(string)', 'Row'])
    expect(groups.get('(string)')?.group).toMatchObject({ count: 1, bytes: 20 })
    expect(formatRetainerPath(graph, 8)).toBe('module leaky.ts → row (Row) → label (string)')
  })
})

describe("Node's Buffer pool", () => {
  // node:buffer's module context holds its current pool twice (allocPool, allocBuffer); a user's module holds
  // a small Buffer that is a slice of an older pool, and an object in a variable that happens to be named
  // allocPool.
  const nodes: HandmadeNode[] = [
    { type: 'synthetic', name: '' }, // 0
    { type: 'object', name: 'system / Context' }, // 1: node:buffer's module context
    { type: 'object', name: 'system / Context' }, // 2: a user's module context
    { type: 'object', name: 'ArrayBuffer', selfSize: 80 }, // 3: new from here on: the current pool
    { type: 'native', name: 'system / JSArrayBufferData', selfSize: 65_536 }, // 4: its memory
    { type: 'object', name: 'Buffer', selfSize: 96 }, // 5: allocBuffer, over all of it
    { type: 'object', name: 'ArrayBuffer', selfSize: 80 }, // 6: an older pool
    { type: 'native', name: 'system / JSArrayBufferData', selfSize: 65_536 }, // 7: its memory
    { type: 'object', name: 'Buffer', selfSize: 96 }, // 8: the user's slice of it
    { type: 'object', name: 'Settings', selfSize: 40 }, // 9: the user's `allocPool`
  ]
  const edges: HandmadeEdge[] = [
    { from: 0, type: 'element', name: 1, to: 1 },
    { from: 0, type: 'element', name: 2, to: 2 },
    { from: 1, type: 'context', name: 'allocPool', to: 3 },
    { from: 1, type: 'context', name: 'allocBuffer', to: 5 },
    { from: 2, type: 'context', name: 'header', to: 8 },
    { from: 2, type: 'context', name: 'allocPool', to: 9 },
    { from: 3, type: 'internal', name: 'backing_store', to: 4 },
    { from: 5, type: 'internal', name: 'buffer', to: 3 },
    { from: 6, type: 'internal', name: 'backing_store', to: 7 },
    { from: 8, type: 'internal', name: 'buffer', to: 6 },
  ]

  test("is Node's when only node:buffer holds it, the user's when a kept slice holds it too", () => {
    const graph = graphOf(nodes, edges)
    const own = { count: 0, bytes: 0 }
    const groups = groupNewObjects(graph, 2 * 2 + 1, own)
    expect(graph.nodeOwn[3]).toBe(1)
    expect(graph.nodeOwn[5]).toBe(1)
    expect(graph.nodeOwn[6]).toBe(0)
    // The older pool and the slice that keeps it are the user's; of the current pool, nothing.
    expect([...groups.keys()].sort()).toEqual(['ArrayBuffer', 'Buffer', 'Settings'])
    expect(groups.get('ArrayBuffer')?.group).toMatchObject({ count: 1, bytes: 80 })
    expect(groups.get('Buffer')?.group).toMatchObject({ count: 1, externalBytes: 65_536 })
    // The current pool, also reached from the user's slice, would be the user's: the edges are Node's, not the pool.
    const held = edges.concat({ from: 2, type: 'context', name: 'kept', to: 5 })
    expect(graphOf(nodes, held).nodeOwn[3]).toBe(0)
  })
})
