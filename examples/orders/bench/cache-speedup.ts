// Caching's speed-up per endpoint, as the seed's table has it (list-orders 0.229 s → 0.004 s): the orders
// service in its own process with no cache, with the seed's local TTL cache, and with Redis (when
// redis-server is on the PATH: this script starts its own, in memory only), each endpoint called over loopback
// one call at a time.
//
//   pnpm speedup [--orders 2000] [--calls 200] [--warm-up 20] [--no-write]
//
// Prints the section and writes it into README.md between <!-- speedup:start --> and <!-- speedup:end -->
// (unless --no-write).
import { readFile, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { markdownTable } from '@memgate/test-utils/markdown-table'
import { spawnService } from '../src/services/launch.js'
import type { CacheKind } from '../src/services/orders-cache.js'
import { findRedisServer, NO_REDIS, type RunningRedis, startRedis } from '../src/services/redis-server.js'

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    calls: { type: 'string', default: '200' },
    'warm-up': { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false },
  },
})

function whole(name: string, raw: string): number {
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a whole number of 1 or more, got "${raw}"`)
    process.exit(2)
  }
  return value
}
const ORDERS = whole('orders', values.orders)
const CALLS = whole('calls', values.calls)
const WARM_UP = whole('warm-up', values['warm-up'])
const PAGE = Math.min(ORDERS, 1_000)
const IDS = Math.min(ORDERS, 200)

interface Endpoint {
  name: string
  method: 'GET' | 'POST'
  path: (call: number) => string
  body?: unknown
}

const LINES = [
  { productId: 'the_odyssey', quantity: 1, priceCents: 9999 },
  { productId: 'the_enigma', quantity: 8, priceCents: 599 },
  { productId: 'the_iliad', quantity: 2, priceCents: 1250 },
]
// Reads first, then the write: a new order drops the cached pages.
const ENDPOINTS: Endpoint[] = [
  {
    name: `a page of ${PAGE.toLocaleString('en')} orders, \`GET /orders?limit=${PAGE}\``,
    method: 'GET',
    path: () => `/orders?limit=${PAGE}`,
  },
  {
    name: `one order, ${IDS} in turn, \`GET /orders/:id\``,
    method: 'GET',
    path: (i) => `/orders/${(i % IDS) + 1}`,
  },
  {
    name: 'a new order (never cached), `POST /orders`',
    method: 'POST',
    path: () => '/orders',
    body: { lines: LINES },
  },
]

async function send(url: string, endpoint: Endpoint, i: number): Promise<void> {
  const response = await fetch(`${url}${endpoint.path(i)}`, {
    method: endpoint.method,
    ...(endpoint.body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(endpoint.body) }),
  })
  await response.arrayBuffer()
  if (response.status >= 300)
    throw new Error(`${endpoint.method} ${endpoint.path(i)} answered ${response.status}`)
}

/** Mean milliseconds per call of each endpoint, against an orders service with `kind` of cache. */
async function measure(kind: CacheKind, redis: RunningRedis | undefined): Promise<number[]> {
  const service = await spawnService('orders', ['--cache', kind, ...(redis ? ['--redis', redis.url] : [])])
  try {
    for (let i = 0; i < ORDERS; i++) await send(service.url, ENDPOINTS[2] as Endpoint, i)
    const means: number[] = []
    for (const endpoint of ENDPOINTS) {
      for (let i = 0; i < WARM_UP; i++) await send(service.url, endpoint, i)
      const started = performance.now()
      for (let i = 0; i < CALLS; i++) await send(service.url, endpoint, i)
      means.push((performance.now() - started) / CALLS)
    }
    return means
  } finally {
    await service.stop()
  }
}

const started = performance.now()
const none = await measure('none', undefined)
const local = await measure('local', undefined)
let redisMeans: number[] | undefined
if (findRedisServer()) {
  const redis = await startRedis()
  try {
    redisMeans = await measure('redis', redis)
  } finally {
    await redis.stop()
  }
} else console.error(`speedup: the Redis column is skipped: ${NO_REDIS}`)

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`
const times = (before: number, after: number) => `×${(before / after).toFixed(before / after < 10 ? 1 : 0)}`
const rows = ENDPOINTS.map((endpoint, i) => {
  const before = none[i] as number
  const withLocal = local[i] as number
  const withRedis = redisMeans?.[i]
  return [
    endpoint.name,
    ms(before),
    ms(withLocal),
    times(before, withLocal),
    withRedis === undefined ? 'not run' : ms(withRedis),
    withRedis === undefined ? '–' : times(before, withRedis),
  ]
})
const header = [
  'endpoint of the orders service',
  'no cache',
  'local TTL cache',
  'speed-up',
  'Redis',
  'speed-up',
]
const cpu = cpus()[0]?.model ?? 'unknown CPU'
const seconds = Math.round((performance.now() - started) / 1000)
const section = [
  `<!-- written by \`pnpm speedup\` (bench/cache-speedup.ts) from a run on ${new Date().toISOString().slice(0, 10)}; do not edit by hand -->`,
  '',
  markdownTable(header, rows),
  '',
  `Mean time of one call over ${CALLS} calls, after ${WARM_UP} warm-up calls, each endpoint called over loopback ` +
    `one call at a time; the orders service in its own process with ${ORDERS.toLocaleString('en')} orders of ` +
    `${LINES.length} lines. Local TTL cache: lru-cache, 500 entries, 600 s (the seed's). ` +
    (redisMeans
      ? 'Redis: redis-server on loopback, started by the script, in memory only. '
      : `Redis: not run, ${NO_REDIS}. `) +
    `Node ${process.version} on ${process.platform} ${process.arch}, ${cpu} (${cpus().length} CPUs); the run took ${seconds} s.`,
].join('\n')

console.log(section)
if (!values['no-write']) {
  const readme = new URL('../README.md', import.meta.url)
  const START = '<!-- speedup:start -->'
  const END = '<!-- speedup:end -->'
  const text = await readFile(readme, 'utf8')
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section to write into`)
  await writeFile(readme, `${text.slice(0, start + START.length)}\n${section}\n${text.slice(end)}`)
  console.error('speedup: README.md section written')
}
