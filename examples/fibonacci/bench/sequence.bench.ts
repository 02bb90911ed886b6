// The sequence service two ways, over loopback: streaming each number as the client takes it (the
// example's server, with backpressure) against building and caching every string first (the caching
// variant, src/servers/caching-sequence.ts, as a service that caches its answers would), with memgate's
// withMemory(bench): tinybench times each request in this process (Node's default heap settings), then each
// task's memory pass — one more request, server and client under one measurement — runs in a child started
// with --max-semi-space-size=1 (this script again: it builds the same benches in the same order).
//   node --import tsx bench/sequence.bench.ts      (from examples/fibonacci; prints a Markdown section)
import { once } from 'node:events'
import { get, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { collectGarbage } from '@memgate/core'
import { withMemory } from '@memgate/core/tinybench'
import { Bench } from 'tinybench'
import { createCachingSequenceServer } from '../src/servers/caching-sequence.js'
import { createSequenceServer } from '../src/servers/sequence.js'
import { formatMs, formatRatio, formatSize, machine, progress, table } from './shared.js'

const SIZES = [20_000, 50_000]
/** Timed runs per row: a 50,000-number response takes ~15 s to produce either way. */
const RUNS: Record<number, number> = { 20000: 2, 50000: 1 }

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
}

interface Fetched {
  ttfbMs: number
  totalMs: number
  bytes: number
}

/** Fetches /sequence?n=… and reads the body as fast as it comes, counting bytes, keeping none. */
function fetchSequence(port: number, n: number): Promise<Fetched> {
  const start = performance.now()
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: `/sequence?n=${n}` }, (response) => {
      let ttfbMs = -1
      let bytes = 0
      response.on('data', (chunk: Buffer) => {
        if (ttfbMs < 0) ttfbMs = performance.now() - start
        bytes += chunk.length
      })
      response.on('end', () => resolve({ ttfbMs, totalMs: performance.now() - start, bytes }))
      response.on('error', reject)
    }).on('error', reject)
  })
}

type Kind = 'streaming' | 'caching-cold' | 'caching-warm'
const KINDS: Kind[] = ['streaming', 'caching-cold', 'caching-warm']
const LABELS: Record<Kind, string> = {
  streaming: 'streaming (backpressure)',
  'caching-cold': 'build and cache first — first request',
  'caching-warm': 'build and cache first — later request (cache full)',
}

async function start(kind: Kind): Promise<{ server: Server; port: number }> {
  const server = kind === 'streaming' ? createSequenceServer() : createCachingSequenceServer()
  return { server, port: await listen(server) }
}

/**
 * The caching server the last first-request run started, kept up: its cache full, it serves the later
 * requests, and while it is up a memory pass of the first request reads its cache as held after.
 */
let warm: { server: Server; port: number } | undefined

/** Each task's function: one request, server started as the kind needs; time to first byte and body kept. */
function request(kind: Kind, n: number, fetched: Fetched[]): () => Promise<void> {
  return async () => {
    const served = kind === 'caching-warm' && warm ? warm : await start(kind)
    fetched.push(await fetchSequence(served.port, n))
    if (kind === 'streaming') await close(served.server)
    else if (kind === 'caching-cold') {
      const previous = warm
      warm = served
      if (previous) await close(previous.server)
    }
  }
}

/**
 * One bench per n: each task timed `runs` times after a collected heap, no warm-up (a first request is what
 * is measured); one request per memory pass, no warm-up call either. The later-request task fills the cache
 * before its runs when no first-request run has (in its measuring child), outside what is measured.
 */
function sequenceBench(n: number, runs: number, fetched: Record<Kind, Fetched[]>): Bench {
  const bench = withMemory(
    new Bench({ iterations: runs, time: 0, warmup: false, throws: true, setup: () => collectGarbage() }),
    { where: 'child', iterations: 1, warmup: 0 },
  )
  for (const kind of KINDS)
    bench.add(kind, request(kind, n, fetched[kind]), {
      // Said, not detected: tinybench would otherwise call the function once as it is added.
      async: true,
      beforeAll: async () => {
        progress(`${LABELS[kind]}, n = ${n.toLocaleString('en')}…`)
        if (kind === 'caching-warm' && !warm) await request('caching-cold', n, [])()
      },
    })
  return bench
}

const started = performance.now()
const rows: string[][] = []
for (const n of SIZES) {
  const fetched: Record<Kind, Fetched[]> = { streaming: [], 'caching-cold': [], 'caching-warm': [] }
  const bench = sequenceBench(n, RUNS[n] ?? 1, fetched)
  await bench.run()
  if (warm) await close(warm.server)
  warm = undefined
  let baseline: { total: number; peak: number } | undefined
  for (const kind of KINDS) {
    const result = bench.getTask(kind)?.result
    // A measuring child returns from run() without timing the benches it was not started for.
    if (result?.state !== 'completed' || !result.memory) continue
    const { memory } = result
    const ttfbs = fetched[kind].map((f) => f.ttfbMs).sort((a, b) => a - b)
    const ttfb = ttfbs[Math.floor(ttfbs.length / 2)] ?? 0
    const total = result.latency.p50
    baseline ??= { total, peak: memory.peak }
    rows.push([
      n.toLocaleString('en'),
      LABELS[kind],
      formatSize(fetched[kind][0]?.bytes ?? 0),
      formatMs(ttfb),
      formatMs(total),
      formatRatio(total / baseline.total),
      formatSize(memory.peak),
      formatRatio(memory.peak / baseline.peak),
      formatSize(memory.retained),
      String(result.latency.samplesCount),
    ])
  }
}
if (rows.length !== SIZES.length * KINDS.length)
  throw new Error(`${rows.length} of ${SIZES.length * KINDS.length} rows were timed and measured`)
const seconds = ((performance.now() - started) / 1000).toFixed(0)
console.log(
  [
    table(
      [
        'n',
        'server',
        'body',
        'time to first byte',
        'total time',
        'total vs streaming',
        'peak',
        'peak vs streaming',
        'held after',
        'timed runs',
      ],
      rows,
    ),
    '',
    "Over loopback, the client reading as fast as it can. Measured with memgate's `withMemory(bench)` " +
      '(`@memgate/core/tinybench`). Times: tinybench, median of the timed runs in this process, ' +
      "Node's default heap settings; a first request includes starting the server. Memory: one more request, " +
      'server and client under one measurement, in a fresh process started with `--max-semi-space-size=1`; ' +
      '"held after" (`retained`) is what was still reachable after a full GC with the server still up (the ' +
      'cache, for the caching server). A later request is the next request to the server of the ' +
      'first-request row, whose cache is full: the cache is in neither of its figures (its measuring child ' +
      'fills it first, unmeasured). Ratios are against the streaming row of the same n and the same run. ' +
      `${machine()}; the whole benchmark took ${seconds} s.`,
  ].join('\n'),
)
