// The sequence service two ways, over loopback: streaming each number as the client takes it (the
// example's server, with backpressure) against building and caching every string first (the caching
// variant, src/servers/caching-sequence.ts, as a service that caches its answers would). Time to first byte and total time with
// tinybench in this process; peak memory with memgate's measure() around server and client, in a child
// started with --max-semi-space-size=1.
//   node --import tsx bench/sequence.bench.ts      (from examples/fibonacci; prints a Markdown section)
import { once } from 'node:events'
import { get, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { measure } from '@memgate/core'
import { createCachingSequenceServer } from '../src/servers/caching-sequence.js'
import { createSequenceServer } from '../src/servers/sequence.js'
import {
  answer,
  childRequest,
  formatMs,
  formatRatio,
  formatSize,
  machine,
  progress,
  runChild,
  table,
  timeRuns,
} from './shared.js'

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

interface Memory {
  peak: number
  held: number
  bytes: number
}

/**
 * In the child: server and client under one measure(), the server still up when `leaked` is read. For the
 * caching server a second request follows on the same server, its cache now full, measured on its own.
 */
async function measureOne(key: string): Promise<Partial<Record<Kind, Memory>>> {
  const [kind, n] = key.split(':') as ['streaming' | 'caching', string]
  let bytes = 0
  let served: { server: Server; port: number } | undefined
  const first = await measure(async () => {
    served = await start(kind === 'streaming' ? 'streaming' : 'caching-cold')
    bytes = (await fetchSequence(served.port, Number(n))).bytes
  })
  const cold = { peak: first.peak, held: first.leaked, bytes }
  if (!served) throw new Error('the server did not start')
  if (kind === 'streaming') {
    await close(served.server)
    return { streaming: cold }
  }
  const { port } = served
  const second = await measure(async () => {
    bytes = (await fetchSequence(port, Number(n))).bytes
  })
  await close(served.server)
  return { 'caching-cold': cold, 'caching-warm': { peak: second.peak, held: second.leaked, bytes } }
}

const request = childRequest<string>()
if (request !== undefined) {
  answer(await measureOne(request))
} else {
  const started = performance.now()
  const script = new URL(import.meta.url)
  const rows: string[][] = []
  for (const n of SIZES) {
    const runs = RUNS[n] ?? 1
    const memory = {
      ...runChild<Partial<Record<Kind, Memory>>>(script, `streaming:${n}`),
      ...runChild<Partial<Record<Kind, Memory>>>(script, `caching:${n}`),
    }
    let baseline: { total: number; peak: number } | undefined
    // The caching server of the last first-request run serves the later-request runs.
    let warm: { server: Server; port: number } | undefined
    for (const kind of KINDS) {
      progress(`${LABELS[kind]}, n = ${n.toLocaleString('en')}: ${runs} timed run(s)…`)
      const ttfbs: number[] = []
      let bytes = 0
      const time = await timeRuns(
        `${kind} ${n}`,
        async () => {
          const served = kind === 'caching-warm' && warm ? warm : await start(kind)
          const fetched = await fetchSequence(served.port, n)
          if (kind === 'caching-cold') {
            if (warm) await close(warm.server)
            warm = served
          } else if (kind === 'streaming') {
            await close(served.server)
          }
          ttfbs.push(fetched.ttfbMs)
          bytes = fetched.bytes
        },
        runs,
        false,
      )
      const ttfb = ttfbs.sort((a, b) => a - b)[Math.floor(ttfbs.length / 2)] ?? 0
      const measured = memory[kind]
      if (!measured) throw new Error(`no memory figures for ${kind}`)
      baseline ??= { total: time.medianMs, peak: measured.peak }
      rows.push([
        n.toLocaleString('en'),
        LABELS[kind],
        formatSize(bytes),
        formatMs(ttfb),
        formatMs(time.medianMs),
        formatRatio(time.medianMs / baseline.total),
        formatSize(measured.peak),
        formatRatio(measured.peak / baseline.peak),
        formatSize(measured.held),
        String(time.runs),
      ])
    }
    if (warm) await close(warm.server)
  }
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
      'Over loopback, the client reading as fast as it can. Times: tinybench, median of the timed runs, ' +
        "Node's default heap settings; a first request includes starting the server. Memory: memgate's " +
        '`measure()` around server and client for one request, in a fresh process started with ' +
        '`--max-semi-space-size=1`; "held after" is what was still reachable after a full GC with the server ' +
        'still up (the cache, for the caching server). A later request is the next request to the server of ' +
        `the first-request row, whose cache is full: the cache is in neither of its figures. Ratios are against the streaming row of ` +
        `the same n and the same run. ${machine()}; the whole benchmark took ${seconds} s.`,
    ].join('\n'),
  )
}
