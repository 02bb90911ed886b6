// The leak gate: thousands of requests through one gateway, in this process. CI runs it against the fixed
// gateway; `pnpm exercise` (ORDERS_VARIANT=leaky) against the leaky one, which must fail it.
import { limitLeaks } from '@memgate/vitest'
import { afterAll, beforeAll, test } from 'vitest'
import type { Gateway } from '../src/gateway.js'
import type { VariantName } from '../src/variant.js'
import { type Answer, startGateway } from './client.js'
import { REQUESTS_PER_ROUND, runRounds } from './workload.js'

const variant: VariantName = process.env.ORDERS_VARIANT === 'leaky' ? 'leaky' : 'fixed'
const WARM_UP_ROUNDS = 200
const ROUNDS = 300
// Small enough for the warm-up to fill them: a full cache replaces entries rather than adding them.
const CACHE_ENTRIES = 100

let gateway: Gateway
let call: (method: string, path: string, body?: unknown) => Promise<Answer>
beforeAll(async () => {
  ;({ gateway, call } = await startGateway({ variant, cache: { max: CACHE_ENTRIES } }))
  // The first requests make one-time allocations (compiled code, Fastify's and undici's pools) and fill the
  // fixed gateway's caches to their bounds: made here, the measured body shows only what requests add one
  // by one.
  await runRounds(call, 0, WARM_UP_ROUNDS)
}, 120_000)
afterAll(() => gateway.close())

// The fixed gateway left 11–54 kB over 2,100 requests on Node 20 and Node 24 (Node's and undici's own
// bookkeeping: undici's timer wheel keeps ~1 s of fetch's timers; no more for 6,300 requests than for 700);
// the leaky one ~1.3 MB, ~620 bytes a request: its sessions, the rows they loaded, and the cached orders.
// 128 kB is ~60 bytes a request, so keeping even one small object per request fails.
test(
  `${ROUNDS * REQUESTS_PER_ROUND} requests leave at most 128 kB behind`,
  limitLeaks('128 kB'),
  async () => {
    await runRounds(call, WARM_UP_ROUNDS, ROUNDS)
  },
)
