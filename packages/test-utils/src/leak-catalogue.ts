import { EventEmitter } from 'node:events'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

// The leak catalogue: the ways code keeps memory it no longer needs, each with the holder a developer would look
// for, and a twin that does the same work and keeps nothing. Core's diagnosis, the Vitest plugin (forks and
// threads) and `memgate leaks` are each run on every pattern, and must name the same kind, holder and site.

/** One leak pattern of the catalogue. */
export interface LeakPattern {
  name: string
  /** Leaks on every call: 100 kB or more left reachable. */
  leak(): unknown
  /** Does the same work and keeps nothing (a few hundred bytes at most), from its first call. */
  twin(): unknown
  /** The kind a diagnosis of `leak` must list (a group of `LeakGroup.kind`). */
  kind: string
  /**
   * The group's retainer path (what follows "held by "), from its start; a closure on it is named with the
   * line of its function in this file (or the package's), as a source-mapped path gives it.
   */
  heldBy: RegExp
  /** The function the group's allocation site must name: the one in this file that made the objects. */
  allocatedIn: string
  /** Lets go of what the leaks kept that would outlive a test: timers, listeners. */
  release?(): void
}

/** This module as a retainer path starts at it: `module <path relative to the working folder>`. */
const MODULE = String.raw`module \S*leak-catalogue\.ts`
const INDEX = String.raw`\[\d+\]`
/** `heldBy` from a path's source, in which `@<line>` is a closure's line. */
const held = (source: string) => ({ heldBy: new RegExp(`^${source.replaceAll(/@(\d+)/g, '$1')}`) })

/** How a path names a function of this file (or of a file of the catalogue's package): `closure name (file:line)`. */
function closure(name: string, file = 'src/leak-catalogue.ts'): string {
  const lines = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').split('\n')
  const line = lines.findIndex((text) => text.includes(`function ${name}(`)) + 1
  if (line === 0) throw new Error(`no function ${name} in ${file}`)
  const shown = file.startsWith('third-party/') ? file.replace('third-party/', 'node_modules/') : file
  return `closure ${name} \\(\\S*${shown.replaceAll('.', '\\.')}:@${line}\\)`
}

// 1. A module array.
export class OpenSession {
  readonly rows: number[]
  constructor(readonly id: number) {
    this.rows = new Array(16).fill(id)
  }
}
const openSessions: OpenSession[] = []
function leakSessions(): void {
  for (let i = 0; i < 1000; i++) openSessions.push(new OpenSession(i))
}
function closeSessions(): number {
  const open: OpenSession[] = []
  for (let i = 0; i < 1000; i++) open.push(new OpenSession(i))
  return open.length
}

// 2. A Map value: a cache keyed by something new on every call.
export class PriceQuote {
  readonly prices = new Array(16).fill(1.5)
  constructor(readonly sku: string) {}
}
const quoteCache = new Map<string, PriceQuote>()
let quoted = 0
function leakQuotes(): void {
  for (let i = 0; i < 1000; i++) {
    const sku = `sku-${quoted++}`
    quoteCache.set(sku, new PriceQuote(sku))
  }
}
const quoteLru = new Map<string, PriceQuote>()
function boundedQuotes(): void {
  for (let i = 0; i < 1000; i++) {
    const sku = `lru-${quoted++}`
    quoteLru.set(sku, new PriceQuote(sku))
    if (quoteLru.size > 10) quoteLru.delete(quoteLru.keys().next().value as string)
  }
}

// 3. A Set.
export class Visitor {
  readonly trail = new Array(16).fill(0)
}
const seenVisitors = new Set<Visitor>()
function leakVisitors(): void {
  for (let i = 0; i < 1000; i++) seenVisitors.add(new Visitor())
}
const activeVisitors = new Set<Visitor>()
function visitAndLeave(): void {
  for (let i = 0; i < 1000; i++) {
    const visitor = new Visitor()
    activeVisitors.add(visitor)
    activeVisitors.delete(visitor)
  }
}

// 4. A class static.
export class DbConnection {
  static readonly open: DbConnection[] = []
  readonly buffer = new Array(16).fill(0)
  constructor(readonly host: string) {
    DbConnection.open.push(this)
  }
}
function leakConnections(): void {
  for (let i = 0; i < 1000; i++) new DbConnection(`db-${i % 3}`)
}
export class PooledDbConnection {
  static readonly pool: PooledDbConnection[] = []
  readonly buffer = new Array(16).fill(0)
  constructor(readonly host: string) {
    PooledDbConnection.pool.push(this)
    if (PooledDbConnection.pool.length > 4) PooledDbConnection.pool.shift()
  }
}
function pooledConnections(): void {
  for (let i = 0; i < 1000; i++) new PooledDbConnection(`db-${i % 3}`)
}

// 5. An EventEmitter listener closure, never removed.
const orderEvents = new EventEmitter()
orderEvents.setMaxListeners(0)
export class OrderView {
  readonly rows = new Array(16).fill(0)
}
function mountViews(): void {
  for (let i = 0; i < 500; i++) {
    const view = new OrderView()
    orderEvents.on('order-updated', function onOrderUpdated() {
      return view.rows.length
    })
  }
}
function mountAndUnmountViews(): void {
  for (let i = 0; i < 500; i++) {
    const view = new OrderView()
    const onOrderUpdated = () => view.rows.length
    orderEvents.on('order-updated', onOrderUpdated)
    orderEvents.off('order-updated', onOrderUpdated)
  }
}

// The timers are unref'd and never cleared: they keep nothing alive but what they hold, and let a process end.

// 6. A setInterval closure, never cleared.
export class MetricsBuffer {
  readonly points = new Array(16).fill(0)
}
function startPolling(): void {
  for (let i = 0; i < 300; i++) {
    const metrics = new MetricsBuffer()
    const timer = setInterval(function poll() {
      metrics.points.push(Date.now())
    }, 600_000)
    timer.unref()
  }
}
function startAndStopPolling(): void {
  for (let i = 0; i < 300; i++) {
    const metrics = new MetricsBuffer()
    clearInterval(setInterval(() => metrics.points.push(Date.now()), 600_000))
  }
}

// 7. A setTimeout chain: a timer that arms the next one, forever.
export class DailyReport {
  readonly lines = new Array(16).fill(0)
}
function scheduleReports(): void {
  for (let i = 0; i < 300; i++) {
    const report = new DailyReport()
    const arm = (): void => {
      const timer = setTimeout(function flushReport() {
        report.lines.push(0)
        arm()
      }, 600_000)
      timer.unref()
    }
    arm()
  }
}
function scheduleAndCancelReports(): void {
  for (let i = 0; i < 300; i++) {
    const report = new DailyReport()
    clearTimeout(setTimeout(() => report.lines.push(0), 600_000))
  }
}

// 8. A promise reaction on a promise that never settles.
const configLoaded = new Promise<void>(() => {})
export class QueuedRequest {
  readonly body = new Array(16).fill(0)
}
function queueRequests(): void {
  for (let i = 0; i < 500; i++) {
    const request = new QueuedRequest()
    void configLoaded.then(function onConfigLoaded() {
      return request.body.length
    })
  }
}
async function queueAndServeRequests(): Promise<void> {
  const served: Promise<number>[] = []
  for (let i = 0; i < 500; i++) {
    const request = new QueuedRequest()
    served.push(Promise.resolve().then(() => request.body.length))
  }
  await Promise.all(served)
}

// 9. An AbortSignal listener, never removed.
const shutdown = new AbortController()
export class ShutdownHook {
  readonly steps = new Array(16).fill(0)
}
function addShutdownHooks(): void {
  for (let i = 0; i < 500; i++) {
    const hook = new ShutdownHook()
    shutdown.signal.addEventListener('abort', function onShutdown() {
      return hook.steps.length
    })
  }
}
function addAndRemoveShutdownHooks(): void {
  for (let i = 0; i < 500; i++) {
    const hook = new ShutdownHook()
    const onShutdown = () => hook.steps.length
    shutdown.signal.addEventListener('abort', onShutdown)
    shutdown.signal.removeEventListener('abort', onShutdown)
  }
}

// 10. globalThis.
export class GlobalEntry {
  readonly data = new Array(16).fill(0)
}
const globals = globalThis as { memgateCatalogueStore?: GlobalEntry[]; memgateCatalogueLast?: GlobalEntry }
function storeGlobally(): void {
  globals.memgateCatalogueStore ??= []
  for (let i = 0; i < 1000; i++) globals.memgateCatalogueStore.push(new GlobalEntry())
}
function keepLastGlobally(): void {
  for (let i = 0; i < 1000; i++) globals.memgateCatalogueLast = new GlobalEntry()
}

// 11. A Buffer in a Map: its contents are memory outside the JS heap.
const chunksByKey = new Map<string, Buffer>()
let chunked = 0
function cacheChunks(): void {
  for (let i = 0; i < 20; i++) chunksByKey.set(`chunk-${chunked++}`, Buffer.alloc(10_000))
}
function cacheAndEvictChunks(): void {
  for (let i = 0; i < 20; i++) {
    const key = `chunk-${chunked++}`
    chunksByKey.set(key, Buffer.alloc(10_000))
    chunksByKey.delete(key)
  }
}

// 12. A typed array captured by a closure.
const sampleReaders: (() => number)[] = []
function keepSampleReaders(): void {
  for (let i = 0; i < 20; i++) {
    const samples = new Float64Array(1000)
    sampleReaders.push(function readSample() {
      return samples[0] ?? 0
    })
  }
}
function readSamplesOnce(): number {
  let sum = 0
  for (let i = 0; i < 20; i++) {
    const samples = new Float64Array(1000)
    const readSample = () => samples[0] ?? 0
    sum += readSample()
  }
  return sum
}

// 13. An object graph with cycles, held by one closure.
export class GraphNode {
  readonly peers: GraphNode[] = []
  readonly weight = new Array(8).fill(1)
}
function ring(size: number): GraphNode {
  const nodes: GraphNode[] = []
  for (let i = 0; i < size; i++) nodes.push(new GraphNode())
  nodes.forEach((node, i) => {
    node.peers.push(nodes[(i + 1) % size] as GraphNode, nodes[(i + size - 1) % size] as GraphNode)
  })
  return nodes[0] as GraphNode
}
const graphInspectors: (() => GraphNode)[] = []
function keepGraphs(): void {
  for (let i = 0; i < 5; i++) {
    const root = ring(200)
    graphInspectors.push(function inspectGraph() {
      return root
    })
  }
}
function walkGraphsOnce(): number {
  let peers = 0
  for (let i = 0; i < 5; i++) peers += ring(200).peers.length
  return peers
}

// 14. A leak through a third-party package: a memoizer that never forgets, fed a new key per call. The package
// (third-party/memo-lib) is installed under a node_modules folder when this module loads, as a package manager
// would (not committed there), and loaded from it: its code runs from node_modules like any dependency's.
const { memoize } = createRequire(import.meta.url)(
  installed('memo-lib'),
) as typeof import('../third-party/memo-lib/index.js')

/** Copies `third-party/<name>` to `.generated/node_modules/<name>` (each file renamed into place whole). */
function installed(name: string): string {
  const from = fileURLToPath(new URL(`../third-party/${name}/`, import.meta.url))
  const to = fileURLToPath(new URL(`../.generated/node_modules/${name}/`, import.meta.url))
  mkdirSync(to, { recursive: true })
  for (const file of readdirSync(from)) {
    // Workers load this module at once: a file is written beside, then renamed, so none reads it half written.
    const partial = `${to}${file}.${process.pid}.${Math.random().toString(36).slice(2)}`
    copyFileSync(`${from}${file}`, partial)
    renameSync(partial, `${to}${file}`)
  }
  return `${to}index.js`
}

export class OrderSummary {
  readonly lines = new Array(16).fill(0)
  constructor(readonly id: string) {}
}
function summarize(id: string): OrderSummary {
  return new OrderSummary(id)
}
const summaryOf = memoize(summarize)
let summarized = 0
function leakSummaries(): void {
  for (let i = 0; i < 1000; i++) summaryOf(`order-${summarized++}`)
}
function summarizeUnmemoized(): number {
  let lines = 0
  for (let i = 0; i < 1000; i++) lines += summarize(`order-${summarized++}`).lines.length
  return lines
}

// 15. A process.on handler, never removed: each batch of temporary files registers its own clean-up at exit.
export class TempFile {
  readonly chunks = new Array(16).fill(0)
  constructor(readonly id: number) {}
}
function openTempFiles(): void {
  const files: TempFile[] = []
  for (let i = 0; i < 1000; i++) files.push(new TempFile(i))
  process.on('exit', function removeTempFiles() {
    return files.length
  })
}
function openAndRemoveTempFiles(): number {
  const files: TempFile[] = []
  for (let i = 0; i < 1000; i++) files.push(new TempFile(i))
  const removeTempFiles = () => files.length
  process.on('exit', removeTempFiles)
  process.off('exit', removeTempFiles)
  return removeTempFiles()
}

/** The catalogue, in the order. */
export const leakPatterns: readonly LeakPattern[] = [
  {
    name: 'a module array',
    leak: leakSessions,
    twin: closeSessions,
    kind: 'OpenSession',
    ...held(`${MODULE} → openSessions \\(Array\\) → ${INDEX} → OpenSession$`),
    allocatedIn: 'leakSessions',
  },
  {
    name: 'a Map value',
    leak: leakQuotes,
    twin: boundedQuotes,
    kind: 'PriceQuote',
    ...held(`${MODULE} → quoteCache \\(Map\\) → PriceQuote$`),
    allocatedIn: 'leakQuotes',
  },
  {
    name: 'a Set',
    leak: leakVisitors,
    twin: visitAndLeave,
    kind: 'Visitor',
    ...held(`${MODULE} → seenVisitors \\(Set\\) → Visitor$`),
    allocatedIn: 'leakVisitors',
  },
  {
    name: 'a class static',
    leak: leakConnections,
    twin: pooledConnections,
    kind: 'DbConnection',
    ...held(`${MODULE} → DbConnection\\.open \\(Array\\) → ${INDEX} → DbConnection$`),
    allocatedIn: 'leakConnections',
  },
  {
    name: 'an EventEmitter listener closure',
    leak: mountViews,
    twin: mountAndUnmountViews,
    kind: 'OrderView',
    ...held(
      `${MODULE} → orderEvents \\(EventEmitter\\) → _events\\.order-updated \\(Array\\) → ${INDEX} → ${closure('onOrderUpdated')} → view \\(OrderView\\)$`,
    ),
    allocatedIn: 'mountViews',
    release: () => orderEvents.removeAllListeners(),
  },
  {
    name: 'a setInterval closure',
    leak: startPolling,
    twin: startAndStopPolling,
    kind: 'MetricsBuffer',
    ...held(
      `timer of 600000 ms \\(Timeout\\) → _onTimeout → ${closure('poll')} → metrics \\(MetricsBuffer\\)$`,
    ),
    allocatedIn: 'startPolling',
  },
  {
    name: 'a setTimeout chain',
    leak: scheduleReports,
    twin: scheduleAndCancelReports,
    kind: 'DailyReport',
    ...held(
      `timer of 600000 ms \\(Timeout\\) → _onTimeout → ${closure('flushReport')} → report \\(DailyReport\\)$`,
    ),
    allocatedIn: 'scheduleReports',
  },
  {
    name: 'a promise reaction',
    leak: queueRequests,
    twin: queueAndServeRequests,
    kind: 'QueuedRequest',
    ...held(
      `${MODULE} → configLoaded \\(Promise\\) → reaction(?: ×[\\d,]+)? → ${closure('onConfigLoaded')} → request \\(QueuedRequest\\)$`,
    ),
    allocatedIn: 'queueRequests',
  },
  {
    name: 'an AbortSignal listener',
    leak: addShutdownHooks,
    twin: addAndRemoveShutdownHooks,
    kind: 'ShutdownHook',
    ...held(
      `${MODULE} → shutdown \\(AbortController\\) → #signal \\(AbortSignal\\) → 'abort' listener → ${closure('onShutdown')} → hook \\(ShutdownHook\\)$`,
    ),
    allocatedIn: 'addShutdownHooks',
  },
  {
    name: 'globalThis',
    leak: storeGlobally,
    twin: keepLastGlobally,
    kind: 'GlobalEntry',
    ...held(`global → memgateCatalogueStore \\(Array\\) → ${INDEX} → GlobalEntry$`),
    allocatedIn: 'storeGlobally',
  },
  {
    name: 'a Buffer in a Map',
    leak: cacheChunks,
    twin: cacheAndEvictChunks,
    kind: 'Buffer',
    ...held(`${MODULE} → chunksByKey \\(Map\\) → Buffer$`),
    allocatedIn: 'cacheChunks',
  },
  {
    name: 'a typed array captured by a closure',
    leak: keepSampleReaders,
    twin: readSamplesOnce,
    kind: 'Float64Array',
    ...held(
      `${MODULE} → sampleReaders \\(Array\\) → ${INDEX} → ${closure('readSample')} → samples \\(Float64Array\\)$`,
    ),
    allocatedIn: 'keepSampleReaders',
  },
  {
    name: 'an object graph cycle held by one closure',
    leak: keepGraphs,
    twin: walkGraphsOnce,
    kind: 'GraphNode',
    ...held(
      `${MODULE} → graphInspectors \\(Array\\) → ${INDEX} → ${closure('inspectGraph')} → root \\(GraphNode\\)`,
    ),
    allocatedIn: 'ring',
  },
  {
    name: 'a leak through a third-party package in node_modules',
    leak: leakSummaries,
    twin: summarizeUnmemoized,
    kind: 'OrderSummary',
    ...held(
      `${MODULE} → summaryOf → ${closure('memoized', 'third-party/memo-lib/index.js')} → cache \\(Map\\) → OrderSummary$`,
    ),
    allocatedIn: 'summarize',
  },
  {
    name: 'a process.on handler',
    leak: openTempFiles,
    twin: openAndRemoveTempFiles,
    kind: 'TempFile',
    ...held(
      `process → 'exit' listener → ${closure('removeTempFiles')} → files \\(Array\\) → ${INDEX} → TempFile$`,
    ),
    allocatedIn: 'openTempFiles',
    release: () => {
      for (const handler of process.listeners('exit'))
        if (handler.name === 'removeTempFiles') process.off('exit', handler)
    },
  },
]

/** The catalogue's pattern whose leak makes `kind`; throws if there is none. */
export function leakPatternOfKind(kind: string): LeakPattern {
  const found = leakPatterns.find((pattern) => pattern.kind === kind)
  if (!found) throw new Error(`no leak catalogue pattern of kind ${kind}`)
  return found
}
