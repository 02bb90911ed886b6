// Each of the three services under a peak limit of its own, while it serves a shop's load through the gateway:
// rounds of the load test's requests (products created, read, ordered, listed and deleted), then pages of
// 1,000 orders read from many cursors. memgate measures the process it runs in, so the service measured runs in
// this one and the other two as child processes. ORDERS_CACHE=local gives the orders service the seed's local
// TTL cache, which keeps every page it answers in its heap: services-peak-fails.test.ts checks that the orders
// service's limit then fails.
import { limitMemory } from '@memgate/vitest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { RunningServices } from '../src/services/launch.js'
import type { ServiceName } from '../src/services/service.js'
import { type Call, caller, startThree } from './services.js'
import { REQUESTS_PER_ROUND, runRounds } from './workload.js'

const cache = process.env.ORDERS_CACHE === 'local' ? 'local' : 'none'
/** Orders in the book before the load, placed straight into the orders service. */
const SEEDED = 3_000
const PAGE = 1_000
/** Pages read in the body, each from its own cursor: `after` 0, 50, 100, … */
const PAGES = 40
const WARM_UP_ROUNDS = 50
const ROUNDS = 100

/** Each service's limit: its measured peak with headroom (the README, "Three services, as the seed runs them"). */
const LIMITS: Record<ServiceName, string> = { products: '6 MB', orders: '6 MB', gateway: '8 MB' }

async function readPages(call: Call): Promise<void> {
  let orders = 0
  for (let page = 0; page < PAGES; page++) {
    const answer = await call('GET', `/orders?after=${page * 50}&limit=${PAGE}`)
    orders += answer.body.orders.length
  }
  // Only a number goes to expect(): nothing of the answers stays reachable through the assertion.
  expect(orders).toBe(PAGES * PAGE)
}

const CACHED = cache === 'local' ? ' (ORDERS_CACHE=local)' : ''

describe.for<ServiceName>(['products', 'orders', 'gateway'])(`the %s service${CACHED}`, (name) => {
  let services: RunningServices
  let call: Call
  beforeAll(async () => {
    ;({ services, call } = await startThree({ inProcess: name, cache }))
    const orders = caller(services.orders.url)
    const lines = [
      { productId: 'the_odyssey', quantity: 1, priceCents: 1999 },
      { productId: 'the_enigma', quantity: 3, priceCents: 599 },
    ]
    for (let i = 0; i < SEEDED; i++) await orders('POST', '/orders', { lines })
    // Compiled code, connection pools and the gateway's caches, warmed before the body; the rounds come last, so
    // that their new orders have dropped the pages a caching orders service kept.
    await readPages(call)
    await runRounds(call, 0, WARM_UP_ROUNDS)
  }, 120_000)
  afterAll(() => services?.stop())

  test(
    `${ROUNDS * REQUESTS_PER_ROUND} requests and ${PAGES} pages of ${PAGE.toLocaleString('en')} orders stay under ${LIMITS[name]} in it`,
    limitMemory(LIMITS[name]),
    async () => {
      await runRounds(call, WARM_UP_ROUNDS, ROUNDS)
      await readPages(call)
    },
  )
})
