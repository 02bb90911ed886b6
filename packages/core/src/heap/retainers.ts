import { dirname, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Frame, packageFile } from '../measure/profile.js'
import type { HeapSnapshot, RetainerGraph, VariableNamer } from './types.js'

/**
 * Maps where a function's code is (its script's URL or path, 1-based line and column) to where its source is:
 * a source map's original position, or the location itself.
 */
export type CodeLocator = (location: Frame) => Frame

/** One breadth-first search from the root: the shortest retainer path of every node (see {@link RetainerGraph}). */
export function buildRetainerGraph(snapshot: HeapSnapshot): RetainerGraph {
  const { nodes, edges, nodeFields, edgeFields, nodeCount } = snapshot
  const firstEdge = new Uint32Array(nodeCount + 1)
  for (let n = 0, offset = 0; n < nodeCount; n++) {
    firstEdge[n] = offset
    offset += (nodes[n * nodeFields + snapshot.node.edgeCount] ?? 0) * edgeFields
    firstEdge[n + 1] = offset
  }
  const parent = new Int32Array(nodeCount).fill(-1)
  const via = new Int32Array(nodeCount).fill(-1)
  const seen = new Uint8Array(nodeCount)
  const weak = snapshot.edgeTypes.indexOf('weak')
  const property = snapshot.edgeTypes.indexOf('property')
  const queue = new Int32Array(nodeCount + 16)
  let head = 0
  let tail = 0
  queue[tail++] = 0
  seen[0] = 1
  // What only the running code or V8's own bookkeeping holds (handles, stack slots, V8's strong roots, which
  // now and then include a table that points at a user's array), and what only Node's own modules or
  // memgate's hold (a task queue, a timer list, an inspector session), is reached last: an object also kept
  // by the user's code is shown as kept by that.
  const internal = internalClosures(snapshot, firstEdge)
  const deferred: number[] = []
  // Edges to an object's prototype, followed last too: a class reached from one of its instances
  // (`→ __proto__.constructor → Store`) is not a way to what the class's module holds while another is.
  const prototypeEdges: number[] = []
  const proto = snapshot.strings.indexOf('__proto__')
  // Edges of Node's own bookkeeping on a user's module (its source map), followed after all else: what only
  // they reach is Node's, not the user's (`nodeOwn`).
  const { targets: ownTarget, edges: ownEdge } = nodeOwnParts(snapshot)
  const ownEdges: number[] = []
  const nodeOwn = new Uint8Array(nodeCount)
  const reach = (from: number, e: number, to: number, own: boolean) => {
    seen[to] = 1
    parent[to] = from
    via[to] = e
    nodeOwn[to] = own || nodeOwn[from] === 1 ? 1 : 0
    queue[tail++] = to
  }
  // 0: the user's holders first; 1: then what was deferred and the prototypes; 2: then Node's own edges.
  let stage = 0
  for (;;) {
    if (head === tail) {
      if (stage === 0) {
        for (const n of deferred) queue[tail++] = n
        for (let i = 0; i < prototypeEdges.length; i += 2) {
          const e = prototypeEdges[i + 1] as number
          const to = (edges[e + snapshot.edge.toNode] as number) / nodeFields
          if (!seen[to]) reach(prototypeEdges[i] as number, e, to, false)
        }
      } else if (stage === 1) {
        for (let i = 0; i < ownEdges.length; i += 2) {
          const e = ownEdges[i + 1] as number
          const to = (edges[e + snapshot.edge.toNode] as number) / nodeFields
          if (!seen[to]) reach(ownEdges[i] as number, e, to, true)
        }
      } else break
      stage++
      continue
    }
    const n = queue[head++] as number
    if (
      stage === 0 &&
      (internal(n) ||
        (nodeType(snapshot, n) === 'synthetic' && RUNNING_CODE_ROOTS.has(nodeName(snapshot, n))))
    ) {
      deferred.push(n)
      continue
    }
    if (n !== 0 && !expandable(snapshot, n)) continue
    for (let e = firstEdge[n] as number; e < (firstEdge[n + 1] as number); e += edgeFields) {
      if (edges[e + snapshot.edge.type] === weak) continue
      const to = (edges[e + snapshot.edge.toNode] as number) / nodeFields
      if (seen[to]) continue
      if (
        stage === 0 &&
        edges[e + snapshot.edge.nameOrIndex] === proto &&
        edges[e + snapshot.edge.type] === property
      ) {
        prototypeEdges.push(n, e)
        continue
      }
      if (stage < 2 && (ownTarget[to] === 1 || ownEdge.has(e))) {
        ownEdges.push(n, e)
        continue
      }
      reach(n, e, to, false)
    }
  }
  return { snapshot, firstEdge, parent, via, nodeOwn }
}

/**
 * The property Node sets on a user's module for its own use: the source map it keeps of a module a loader
 * (tsx) transformed, when source maps are on. What only it holds is Node's.
 */
const NODE_OWN_EDGE = '<symbol node:source_map_data_private_symbol>'
/**
 * The variables by which node:buffer holds its current Buffer pool (an ArrayBuffer, and a Buffer over all of
 * it): the pool Node slices small Buffers from. A span that made Buffers usually ends on a newer pool than it
 * started on; the pool is Node's unless a slice the user's code keeps holds it too. So these edges, not their
 * targets, are Node's own: a pool also reached by the user's path is the user's.
 */
const NODE_OWN_VARIABLES = new Set(['allocPool', 'allocBuffer'])
const NODE_OWN_VARIABLE_KINDS = new Set(['ArrayBuffer', 'Buffer', 'FastBuffer', 'Uint8Array'])
/** The caches of Node's ES module loader: what it resolved and loaded, by URL. */
const NODE_OWN_HOLDERS = new Set(['LoadCache', 'ResolveCache'])

/**
 * Node's own bookkeeping: `targets` (1), the source maps it keeps on modules (what its edge leads to, however it
 * is reached: also by the slot of its holder's property array) and its loader's caches; `edges`, those by which
 * it holds its Buffer pool.
 */
function nodeOwnParts(snapshot: HeapSnapshot): { targets: Uint8Array; edges: Set<number> } {
  const { nodes, edges, nodeFields, edgeFields, nodeCount } = snapshot
  const own = new Uint8Array(nodeCount)
  const object = snapshot.nodeTypes.indexOf('object')
  const indexes = (names: Set<string>) =>
    new Set([...names].map((n) => snapshot.strings.indexOf(n)).filter((i) => i >= 0))
  const holders = indexes(NODE_OWN_HOLDERS)
  if (holders.size > 0)
    for (let n = 0; n < nodeCount; n++) {
      const base = n * nodeFields
      if (
        nodes[base + snapshot.node.type] === object &&
        holders.has(nodes[base + snapshot.node.name] as number)
      )
        own[n] = 1
    }
  const name = snapshot.strings.indexOf(NODE_OWN_EDGE)
  const variables = indexes(NODE_OWN_VARIABLES)
  const variableKinds = indexes(NODE_OWN_VARIABLE_KINDS)
  const ownEdges = new Set<number>()
  if (name < 0 && variables.size === 0) return { targets: own, edges: ownEdges }
  const named = [snapshot.edgeTypes.indexOf('property'), snapshot.edgeTypes.indexOf('internal')]
  const context = snapshot.edgeTypes.indexOf('context')
  for (let e = 0; e < edges.length; e += edgeFields) {
    const edgeName = edges[e + snapshot.edge.nameOrIndex] as number
    const type = edges[e + snapshot.edge.type] as number
    const to = (edges[e + snapshot.edge.toNode] as number) / nodeFields
    if (edgeName === name && named.includes(type)) own[to] = 1
    else if (
      type === context &&
      variables.has(edgeName) &&
      variableKinds.has(nodes[to * nodeFields + snapshot.node.name] as number)
    )
      ownEdges.add(e)
  }
  return { targets: own, edges: ownEdges }
}

const PROMISE_REACTION = 'system / PromiseReaction'
const SOURCE_TEXT_MODULE = 'system / SourceTextModule'
const RUNNING_CODE_ROOTS = new Set(['(Handle scope)', '(Stack roots)', '(Strong roots)'])

/** Where memgate's own packages are installed (`…/@memgate`, or the monorepo's `packages`). */
const MEMGATE_PACKAGES = dirname(dirname(dirname(fileURLToPath(import.meta.url))))

/**
 * Whether a script is Node's own (`node:…`) or memgate's: the closures of those scripts hold Node's timer
 * lists, task queues and module loader, and memgate's inspector sessions.
 */
export function isInternalScript(file: string): boolean {
  return (
    file.startsWith('node:') ||
    (file.startsWith(`${MEMGATE_PACKAGES}${sep}`) && file.includes(`${sep}dist${sep}`))
  )
}

/** A test of whether a node is a closure of an internal script (see {@link isInternalScript}). */
function internalClosures(snapshot: HeapSnapshot, firstEdge: Uint32Array): (n: number) => boolean {
  const scripts = new Map<number, boolean>()
  const closure = snapshot.nodeTypes.indexOf('closure')
  // By the names' indices in the string table: no string is made for each closure's edges.
  const [shared, script, scriptOrDebugInfo] = ['shared', 'script', 'script_or_debug_info'].map((name) =>
    snapshot.strings.indexOf(name),
  ) as [number, number, number]
  const numbered = [snapshot.edgeTypes.indexOf('element'), snapshot.edgeTypes.indexOf('hidden')]
  const next = (n: number, name: number): number => {
    if (name < 0) return -1
    for (let e = firstEdge[n] as number; e < (firstEdge[n + 1] as number); e += snapshot.edgeFields) {
      if (
        snapshot.edges[e + snapshot.edge.nameOrIndex] === name &&
        !numbered.includes(snapshot.edges[e + snapshot.edge.type] as number)
      )
        return (snapshot.edges[e + snapshot.edge.toNode] as number) / snapshot.nodeFields
    }
    return -1
  }
  return (n) => {
    if (snapshot.nodes[n * snapshot.nodeFields + snapshot.node.type] !== closure) return false
    const info = next(n, shared)
    if (info < 0) return false
    let code = next(info, scriptOrDebugInfo)
    if (code < 0) code = next(info, script)
    if (code < 0) return false
    let verdict = scripts.get(code)
    if (verdict === undefined) {
      verdict = isInternalScript(nodeName(snapshot, code).replace(/^file:\/\//, ''))
      scripts.set(code, verdict)
    }
    return verdict
  }
}

function expandable(snapshot: HeapSnapshot, n: number): boolean {
  const type = nodeType(snapshot, n)
  return type !== 'code' && type !== 'object shape'
}

export function nodeType(snapshot: HeapSnapshot, n: number): string {
  return snapshot.nodeTypes[snapshot.nodes[n * snapshot.nodeFields + snapshot.node.type] ?? 0] ?? ''
}

export function nodeName(snapshot: HeapSnapshot, n: number): string {
  return snapshot.strings.get(snapshot.nodes[n * snapshot.nodeFields + snapshot.node.name] ?? 0) ?? ''
}

export function edgeType(snapshot: HeapSnapshot, e: number): string {
  return snapshot.edgeTypes[snapshot.edges[e + snapshot.edge.type] ?? 0] ?? ''
}

/** An edge's name: property or variable name, or the element index for element and hidden edges. */
export function edgeName(snapshot: HeapSnapshot, e: number): string {
  const value = snapshot.edges[e + snapshot.edge.nameOrIndex] ?? 0
  const type = edgeType(snapshot, e)
  return type === 'element' || type === 'hidden' ? String(value) : (snapshot.strings.get(value) ?? '')
}

/** The nodes and edges of a shortest path from the GC roots to `node`, root first ([] if unreachable). */
export function rawPath(graph: RetainerGraph, node: number): Step[] {
  const steps: Step[] = []
  for (let n = node; n > 0; n = graph.parent[n] as number) {
    if ((graph.parent[n] as number) < 0) return []
    steps.push({ node: n, edge: graph.via[n] as number })
  }
  return steps.reverse()
}

/** The edge of `node` named `name` leads to (-1 if none); `slot`: an element's index names it too. */
function follow(graph: RetainerGraph, node: number, name: string, slot = false): number {
  const { snapshot } = graph
  for (
    let e = graph.firstEdge[node] as number;
    e < (graph.firstEdge[node + 1] as number);
    e += snapshot.edgeFields
  ) {
    if ((slot || edgeType(snapshot, e) !== 'element') && edgeName(snapshot, e) === name)
      return (snapshot.edges[e + snapshot.edge.toNode] as number) / snapshot.nodeFields
  }
  return -1
}

/**
 * A node's name as a path shows it: an `EventTarget` made as another class (Node makes an `AbortSignal` as an
 * `EventTarget` and gives it `AbortSignal`'s prototype) by its prototype's name.
 */
function shownName(graph: RetainerGraph, node: number): string {
  const name = nodeName(graph.snapshot, node)
  if (name !== 'EventTarget') return name
  const proto = follow(graph, node, '__proto__')
  const made = proto < 0 ? '' : nodeName(graph.snapshot, proto)
  return made && made !== 'Object' ? made : name
}

/** The file a closure's code comes from (its script's name), or '' if the snapshot does not say. */
function scriptOf(graph: RetainerGraph, closure: number, cwd = process.cwd()): string {
  const name = scriptName(graph, closure)
  return name ? relativeFile(name, cwd) : ''
}

/** The name of a closure's script, as V8 has it (a URL or a path), or '' if the snapshot does not say. */
function scriptName(graph: RetainerGraph, closure: number): string {
  const shared = follow(graph, closure, 'shared')
  if (shared < 0) return ''
  let script = follow(graph, shared, 'script_or_debug_info')
  if (script < 0) script = follow(graph, shared, 'script')
  // A Script node is named after its file (URL or path).
  return script < 0 ? '' : nodeName(graph.snapshot, script)
}

/** Where a closure's code starts (1-based), from the snapshot's `locations`; undefined if it has none. */
function codeLocation(graph: RetainerGraph, closure: number): Frame | undefined {
  const locations = graph.snapshot.locations
  const url = scriptName(graph, closure)
  if (!locations || !url) return undefined
  let low = 0
  let high = locations.nodes.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const node = locations.nodes[middle] as number
    if (node < closure) low = middle + 1
    else if (node > closure) high = middle - 1
    else
      return {
        functionName: nodeName(graph.snapshot, closure),
        url,
        line: (locations.lines[middle] as number) + 1,
        column: (locations.columns[middle] as number) + 1,
      }
  }
  return undefined
}

/** A script's path or file URL, relative to `cwd` when inside it. */
function relativeFile(name: string, cwd = process.cwd()): string {
  const file = name.replace(/^file:\/\//, '')
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file
}

/**
 * A shortest retainer path in a developer's terms: it starts at the module (or closure, or `global`) that
 * holds the object, names properties, closure variables and array indices, and leaves out V8's internal
 * steps (contexts, backing stores, hash tables, roots). E.g.
 * `module orders/service.ts → Object.sessions (Array) → [1999] → Session`.
 */
export function formatRetainerPath(
  graph: RetainerGraph,
  node: number,
  names?: VariableNamer,
  locate?: CodeLocator,
): string {
  const path = rawPath(graph, node)
  if (path.length === 0) return '(unreachable)'
  const { start, origin } = pathOrigin(graph, path)
  const parts: string[] = origin ? [origin] : []
  const context = { graph, names, locate }
  let bare = false
  for (let i = start; i < path.length; i++) {
    const handler = processListener(graph, path, i)
    if (handler) {
      // `process._events.exit (Array) → [3]`: the process is the holder, whatever led to it (a global handle,
      // `global.process`), and the event's list is Node's.
      parts.splice(0, parts.length, 'process', `'${handler.type}' listener`)
      i = handler.at - 1
      bare = true
      continue
    }
    const listener = eventListener(graph, path, i)
    if (listener) {
      // `<symbol kEvents> (Map) → Object.next (Listener) ×12 → listener`: Node's list of an event's listeners.
      parts.push(listener.type ? `'${listener.type}' listener` : 'listener')
      i = listener.at - 1
      bare = true
      continue
    }
    const next = path[i + 1]
    const captured = next !== undefined && nodeName(graph.snapshot, next.node) === 'system / Context'
    writeStep(parts, context, path[i] as Step, { first: i === start, last: !next, captured, bare })
    bare = false
  }
  return elide(parts).join(' → ')
}

/**
 * Whether the path's step `i` enters the listeners of an `EventTarget` (an `AbortSignal`'s): Node keeps them
 * in a Map by event type (`<symbol kEvents>`), each type's as a linked list of `Listener`s, each holding the
 * function by `listener`. Gives the type and the index of the step to that function.
 */
function eventListener(
  graph: RetainerGraph,
  path: Step[],
  i: number,
): { type: string; at: number } | undefined {
  const { snapshot } = graph
  const step = path[i] as Step
  if (nodeName(snapshot, step.node) !== 'Map' || edgeName(snapshot, step.edge) !== '<symbol kEvents>') return
  let type = ''
  for (let j = i + 1; j < path.length; j++) {
    const { node, edge } = path[j] as Step
    const name = edgeName(snapshot, edge)
    if (name === 'listener') return { type, at: j }
    if (j === i + 2 && edgeType(snapshot, edge) === 'internal') {
      // The Map's table holds each key just before its value.
      const key = follow(graph, graph.parent[node] as number, String(Number(name) - 1), true)
      if (key >= 0 && nodeType(snapshot, key).endsWith('string')) type = nodeName(snapshot, key)
    }
    const held = nodeName(snapshot, node)
    if (j > i + 1 && held !== 'Object' && held !== 'Listener') return
    // A path to a Listener itself (a kind of its own): the list's last step is it.
    if (j === path.length - 1 && held === 'Listener') return { type, at: j }
  }
  return undefined
}

/**
 * Whether the path's step `i` is the `process` object and the next ones enter one of its listeners
 * (`process.on(type, handler)`): `_events.<type>`, the handler itself or the list of the type's handlers
 * (`[3]`), and for `process.once` the bound wrapper holding it by `listener`. Gives the type and the index
 * of the step to the handler.
 */
function processListener(
  graph: RetainerGraph,
  path: Step[],
  i: number,
): { type: string; at: number } | undefined {
  const { snapshot } = graph
  const events = path[i + 1]
  const list = path[i + 2]
  if (
    !events ||
    !list ||
    nodeType(snapshot, (path[i] as Step).node) !== 'object' ||
    nodeName(snapshot, (path[i] as Step).node) !== 'process' ||
    edgeName(snapshot, events.edge) !== '_events' ||
    edgeType(snapshot, list.edge) !== 'property'
  )
    return undefined
  const type = edgeName(snapshot, list.edge)
  let at = i + 2
  if (nodeType(snapshot, list.node) !== 'closure') {
    const element = path[at + 1]
    if (
      nodeName(snapshot, list.node) !== 'Array' ||
      !element ||
      edgeType(snapshot, element.edge) !== 'element'
    )
      return undefined
    at++
  }
  const handler = path[at] as Step
  const wrapped = path[at + 1]
  if (nodeType(snapshot, handler.node) !== 'closure') return undefined
  // `process.once`: Node's bound `onceWrapper`, with the handler on its `listener` property.
  const bound = nodeName(snapshot, handler.node)
  if (
    wrapped &&
    (bound === 'native_bind' || bound.startsWith('bound ')) &&
    edgeName(snapshot, wrapped.edge) === 'listener' &&
    nodeType(snapshot, wrapped.node) === 'closure'
  )
    at++
  return { type, at }
}

type Step = { node: number; edge: number }

/**
 * Where a path is told from: the index of its first shown step, and the holder it starts at (`global`,
 * `module file`, or '' when the path starts at a root).
 */
function pathOrigin(graph: RetainerGraph, path: Step[]): { start: number; origin: string } {
  const { snapshot } = graph
  let start = 0
  let origin = ''
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as Step
    const type = nodeType(snapshot, step.node)
    const name = nodeName(snapshot, step.node)
    if (type === 'synthetic') {
      start = i + 1
      origin = ''
    } else if (type === 'object' && name.startsWith('global')) {
      start = i + 1
      origin = 'global'
    } else if (name === 'system / Context' && i < path.length - 1 && isTopLevel(graph, step.node)) {
      // A module's own scope (its outer context is the realm's): its variables are the module's.
      start = i + 1
      const closure = closureOf(graph, step.node)
      origin = moduleOrigin(closure < 0 ? '' : scriptOf(graph, closure))
    } else if (type === 'object' && name === 'ModuleWrap' && i < path.length - 1) {
      // Node's record of an ES module: what follows is the module's (its exported bindings).
      start = i + 1
      const url = follow(graph, step.node, 'url')
      origin = moduleOrigin(url < 0 ? '' : relativeFile(nodeName(snapshot, url)))
    } else if (name === SOURCE_TEXT_MODULE && i < path.length - 1) {
      // V8's record of an ES module, reached from another's (its imports): named after its code's script.
      const file = moduleRecordFile(graph, step.node)
      if (file) {
        start = i + 1
        origin = moduleOrigin(file)
      }
    } else if (type === 'closure' && (name === '' || name.startsWith('get ')) && i < path.length - 1) {
      // A module's top-level scope: reached through one of its functions (Vitest's export getters, the
      // module wrapper), whose context holds the module's variables.
      const next = path[i + 1]
      // Once in a module, an anonymous function of that module's own script is one of its functions
      // (`bus.on('tick', () => big.length)`): its scope is the function's, not the module's. One of another
      // script is that script's module wrapper (Vitest's vm pools reach a module's scope through its getter).
      // A getter is an export's only when its scope is a module's: a getter of an object a function made
      // (`return { get sessions() { return registry.sessions } }`) reads that function's variables.
      const file = scriptOf(graph, step.node)
      const wrapper =
        name === ''
          ? !origin.startsWith('module') || origin !== moduleOrigin(file)
          : next !== undefined && isModuleScope(graph, next.node)
      if (next && nodeName(snapshot, next.node) === 'system / Context' && wrapper) {
        start = i + 2
        origin = moduleOrigin(file)
      }
    }
  }
  if (origin === 'module node:timers') return timerOrigin(graph, path, start) ?? { start, origin }
  return { start, origin }
}

/**
 * A path through Node's timers (`module node:timers → timerListMap → [600000] (TimersList) → _idleNext
 * (Timeout) ×12 → …`, or its table of timers by id) starts at the timer: `timer of 600000 ms (Timeout)`, the
 * delay read from the list's key when the path goes through one.
 */
function timerOrigin(
  graph: RetainerGraph,
  path: Step[],
  from: number,
): { start: number; origin: string } | undefined {
  const { snapshot } = graph
  let list = -1
  let timer = -1
  for (let i = from; i < path.length; i++) {
    const name = nodeName(snapshot, (path[i] as Step).node)
    if (name === 'TimersList') list = i
    else if (name === 'Timeout' || name === 'Immediate') timer = i
    else if (timer >= 0) break
  }
  if (timer < 0) return undefined
  const delay = list >= 0 ? Number(edgeName(snapshot, (path[list] as Step).edge)) : Number.NaN
  const held = Number.isFinite(delay) ? ` of ${delay} ms` : ''
  return { start: timer + 1, origin: `timer${held} (${nodeName(snapshot, (path[timer] as Step).node)})` }
}

/** The file of an ES module's record (`system / SourceTextModule`): its code runs as a generator function. */
function moduleRecordFile(graph: RetainerGraph, record: number): string {
  let file = ''
  eachEdge(graph, record, (_, to) => {
    if (file || nodeName(graph.snapshot, to) !== 'Generator') return
    const code = follow(graph, to, 'function')
    if (code >= 0) file = scriptOf(graph, code)
  })
  return file
}

function moduleOrigin(file: string): string {
  return file ? `module ${file}` : 'module'
}

/**
 * Adds one step of a path to `parts`: how it is held (an index, a property or variable name) and what it is,
 * or only how it is held for V8's containers (contexts, arrays' backing stores, hidden objects) on the way.
 */
function writeStep(
  parts: string[],
  { graph, names, locate }: { graph: RetainerGraph; names?: VariableNamer; locate?: CodeLocator },
  step: Step,
  { first, last, captured, bare }: { first: boolean; last: boolean; captured: boolean; bare: boolean },
): void {
  const { snapshot } = graph
  const type = nodeType(snapshot, step.node)
  const name = shownName(graph, step.node)
  const kind = edgeType(snapshot, step.edge)
  // After a part that says how it is held (`'abort' listener`), only what it is.
  const label = bare ? '' : stepLabel(graph, step, kind, names)
  // An ES module's exported binding (a Cell): shown as the module's variable, as a context's are.
  const binding =
    kind === 'internal' && nodeName(snapshot, graph.parent[step.node] as number) === 'system / Cell'
  // The first shown step has nothing of its own before it to join to.
  const property = kind === 'property' && !first
  if (name === PROMISE_REACTION) {
    // A `.then` callback of a promise that has not settled: what it captures lives as long as the promise.
    parts.push('reaction')
    return
  }
  if (last && label && kind !== 'element' && type !== 'closure') {
    append(parts, name === 'Object' ? label : `${label} (${describe(type, name)})`, property)
    return
  }
  const variable = kind === 'context' || kind === 'hidden' || binding
  if (type === 'closure' && (captured || last || !variable || label !== name)) {
    // How it is held, then the function (`_onTimeout → closure poll (src/metrics.ts:12) → metrics`): what
    // follows it is what its code captured. A variable named as its function is only the function, and so
    // is an accessor (`variant → get sessions → closure get sessions`: the getter is how it is held).
    const accessor = label === name && /^[gs]et /.test(name)
    if (label && !(variable && label === name) && !accessor) append(parts, label, property && !variable)
    parts.push(describeClosure(graph, step.node, locate))
    return
  }
  if (last || name === 'system / Context' || type === 'array' || type === 'hidden') {
    if (label) append(parts, label, property)
    if (last) parts.push(describe(type, name))
    return
  }
  const what = describe(type, name)
  if (!label) parts.push(what)
  // A function held by a variable of its own name, on the way to what it holds itself (a class's statics).
  else if (type === 'closure') append(parts, label, false)
  else if (variable) append(parts, name === 'Object' ? label : `${label} (${what})`, false)
  else append(parts, name === 'Object' ? label : `${label} (${what})`, property)
}

/** How a step is held: `[index]`, a property or variable name, or '' when the snapshot does not say. */
function stepLabel(graph: RetainerGraph, step: Step, kind: string, names: VariableNamer | undefined): string {
  const { snapshot } = graph
  if (kind === 'element') return `[${edgeName(snapshot, step.edge)}]`
  if (kind === 'property' || kind === 'shortcut' || kind === 'context') return edgeName(snapshot, step.edge)
  if (kind === 'hidden') return variableName(graph, graph.parent[step.node] as number, step, names)
  // A binding exported by an ES module: a class or function's own name is the binding's, as a rule; any
  // other value is named by the module's table of exports.
  if (kind === 'internal' && nodeName(snapshot, graph.parent[step.node] as number) === 'system / Cell')
    return nodeType(snapshot, step.node) === 'closure'
      ? nodeName(snapshot, step.node)
      : exportName(graph, graph.parent[step.node] as number)
  return ''
}

/**
 * The name an ES module exports a binding (a Cell) under: V8's module record holds a hash table of its exports,
 * each name (a string) just before its Cell. '' when the Cell is not reached from a module record.
 */
function exportName(graph: RetainerGraph, cell: number): string {
  const { snapshot } = graph
  const table = graph.parent[cell] ?? -1
  const record = table >= 0 ? (graph.parent[table] ?? -1) : -1
  if (record < 0 || nodeName(snapshot, record) !== SOURCE_TEXT_MODULE) return ''
  let found = ''
  eachEdge(graph, record, (_, array) => {
    if (found || nodeType(snapshot, array) !== 'array') return
    let key = ''
    eachEdge(graph, array, (__, to) => {
      if (found) return
      if (nodeType(snapshot, to) === 'string') key = nodeName(snapshot, to)
      else if (to === cell) found = key
    })
  })
  return found
}

/**
 * Appends a part; a property after a plain name joins it: "ordersService" then "sessions (Array)" reads
 * better as "ordersService.sessions (Array)" (a holder's type, as in "appEvents (EventEmitter)", is worth
 * keeping, so only after a plain name).
 */
function append(parts: string[], part: string, property: boolean): void {
  const previous = parts[parts.length - 1] ?? ''
  if (property && /^[\w$.-]+$/.test(previous)) parts[parts.length - 1] = `${previous}.${part}`
  else parts.push(part)
}

/** Steps kept at each end of a long path: a linked list thousands of nodes deep is one line, not a page. */
const PATH_ENDS = 6

/**
 * Runs of the same step are one (`next (Listener) ×198`: a linked list), then the first and last steps of a
 * long path are kept, with how many were left out between them.
 */
function elide(steps: string[]): string[] {
  const parts: string[] = []
  for (let i = 0; i < steps.length; ) {
    let run = 1
    while (steps[i + run] === steps[i]) run++
    parts.push(run > 1 ? `${steps[i]} ×${run.toLocaleString('en-US')}` : (steps[i] as string))
    i += run
  }
  if (parts.length <= 2 * PATH_ENDS + 1) return parts
  const left = parts.length - 2 * PATH_ENDS
  return [
    ...parts.slice(0, PATH_ENDS),
    `… ${left.toLocaleString('en-US')} more steps …`,
    ...parts.slice(-PATH_ENDS),
  ]
}

function isTopLevel(graph: RetainerGraph, context: number): boolean {
  const outer = follow(graph, context, 'previous')
  return outer >= 0 && nodeName(graph.snapshot, outer) === 'system / NativeContext'
}

/**
 * Whether a context is a module's scope: the realm's own child, or a block scope just under one (its variables
 * held by unnamed slots: a module as Vite runs it), not a function's (its variables named).
 */
function isModuleScope(graph: RetainerGraph, context: number): boolean {
  if (isTopLevel(graph, context)) return true
  const outer = follow(graph, context, 'previous')
  if (outer < 0 || !isTopLevel(graph, outer)) return false
  let named = false
  eachEdge(graph, context, (e) => {
    if (edgeType(graph.snapshot, e) === 'context') named = true
  })
  return !named
}

const closures = new WeakMap<RetainerGraph, Map<number, number>>()

/** A function whose scope is `context` (-1 if none): found by one pass over all edges, on first need. */
export function closureOf(graph: RetainerGraph, context: number): number {
  const { snapshot } = graph
  let index = closures.get(graph)
  if (!index) {
    index = new Map()
    for (let n = 0; n < snapshot.nodeCount; n++) {
      if (nodeType(snapshot, n) !== 'closure') continue
      const scope = follow(graph, n, 'context')
      if (scope >= 0 && !index.has(scope)) index.set(scope, n)
    }
    closures.set(graph, index)
  }
  return index.get(context) ?? -1
}

/**
 * The name of the variable of a context that holds `step.node` ('' if unknown). A block scope's variables
 * (a module's, as Vite runs it) are unnamed "hidden" edges in a snapshot, numbered over the slots that hold
 * heap objects: small integers take no number, so the ScopeInfo's list of names (all slots, in order) is
 * off by one for each integer before the slot. When every slot holds a heap object (as many edges as names,
 * and as many names as the context's own size has slots) the list is exact, and the live heap is not asked
 * (V8 walks the whole heap to find the scope's function). Else the live heap, if asked through `names`,
 * knows for sure; else the list is trusted only when a function in a later (or the same) slot has the name
 * the list gives that slot: then no integer came before.
 */
function variableName(
  graph: RetainerGraph,
  context: number,
  step: Step,
  names: VariableNamer | undefined,
): string {
  const { snapshot } = graph
  if (context < 0 || nodeName(snapshot, context) !== 'system / Context') return ''
  const slot = Number(edgeName(snapshot, step.edge))
  const scopeInfo = follow(graph, context, 'scope_info')
  const listed = new Map<number, string>()
  if (scopeInfo >= 0)
    eachEdge(graph, scopeInfo, (e, to) => {
      if (edgeType(snapshot, e) === 'hidden' && nodeType(snapshot, to).endsWith('string'))
        listed.set(Number(edgeName(snapshot, e)), nodeName(snapshot, to))
    })
  let held = 0
  let aligned = false
  eachEdge(graph, context, (e, to) => {
    if (edgeType(snapshot, e) !== 'hidden') return
    held++
    const index = Number(edgeName(snapshot, e))
    if (index < slot || nodeType(snapshot, to) !== 'closure') return
    if (nodeName(snapshot, to) !== '' && listed.get(index) === nodeName(snapshot, to)) aligned = true
  })
  if (listed.size > 0 && held === listed.size && contextSlots(snapshot, context) === listed.size)
    return listed.get(slot) ?? ''
  const asked = names?.(context, step.node)
  if (asked !== undefined) return asked
  return aligned ? (listed.get(slot) ?? '') : ''
}

/** Pointer-sized words of a context: its map and length, then `scope_info` and `previous` before its slots. */
const CONTEXT_HEADER_WORDS = 4
const WORD = 8

/** How many variable slots a block scope's context has, by its own size (-1 if it is not a whole number). */
function contextSlots(snapshot: HeapSnapshot, context: number): number {
  const size = snapshot.nodes[context * snapshot.nodeFields + snapshot.node.selfSize] as number
  return size % WORD === 0 ? size / WORD - CONTEXT_HEADER_WORDS : -1
}

function eachEdge(graph: RetainerGraph, node: number, visit: (edge: number, to: number) => void): void {
  const { snapshot } = graph
  for (
    let e = graph.firstEdge[node] as number;
    e < (graph.firstEdge[node + 1] as number);
    e += snapshot.edgeFields
  )
    visit(e, (snapshot.edges[e + snapshot.edge.toNode] as number) / snapshot.nodeFields)
}

/**
 * A function as a path shows it: `closure onTick (src/bus.ts:12)`, the line where its code starts, mapped by
 * `locate` to its source; its file from `node_modules/` on when it is a package's
 * (`closure memoized (node_modules/memo-lib/index.js:3)`).
 */
function describeClosure(graph: RetainerGraph, closure: number, locate: CodeLocator | undefined): string {
  const name = nodeName(graph.snapshot, closure)
  const called = name ? `closure ${name}` : 'closure'
  const location = codeLocation(graph, closure)
  const mapped = location && locate ? locate(location) : location
  const file = mapped ? relativeFile(mapped.url) : scriptOf(graph, closure)
  if (!file) return name ? called : 'anonymous closure'
  const shown = packageFile(file) ?? file
  return mapped ? `${called} (${shown}:${mapped.line})` : `${called} (${shown})`
}

function describe(type: string, name: string): string {
  if (type === 'closure') return `${name || 'anonymous'} (closure)`
  if (type.endsWith('string')) return 'string'
  if (type === 'number') return 'number'
  return name || type
}
