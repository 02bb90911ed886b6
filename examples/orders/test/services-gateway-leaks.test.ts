// The leak gate, end to end: the gateway as one of three services, driven over loopback while it calls the
// products and orders services, each in its own process. memgate measures the process it runs in, so the
// gateway runs in this one (a real server on a free port) and the other two run as child processes. CI runs it
// against the fixed gateway; ORDERS_VARIANT=leaky against the leaky one, which must fail it
// (services-leaky-fails.test.ts).
import { limitLeaks } from '@memgate/vitest'
import { afterAll, beforeAll, test } from 'vitest'
import type { RunningServices } from '../src/services/launch.js'
import type { VariantName } from '../src/variant.js'
import { type Call, startThree } from './services.js'
import { REQUESTS_PER_ROUND, runRounds } from './workload.js'

const variant: VariantName = process.env.ORDERS_VARIANT === 'leaky' ? 'leaky' : 'fixed'
const WARM_UP_ROUNDS = 150
const ROUNDS = 200
// Small enough for the warm-up to fill them: a full cache replaces entries rather than adding them.
const CACHE_ENTRIES = 100

let services: RunningServices
let call: Call
beforeAll(async () => {
  ;({ services, call } = await startThree({
    variant,
    inProcess: 'gateway',
    gatewayCacheEntries: CACHE_ENTRIES,
  }))
  // One-time allocations (compiled code, the pools of the gateway's HTTP client to the services) and the fixed
  // gateway's caches, filled here: the measured body shows only what requests add one by one.
  await runRounds(call, 0, WARM_UP_ROUNDS)
}, 120_000)
afterAll(() => services?.stop())

// The fixed gateway leaves what Node's and undici's own bookkeeping keeps; the leaky one its sessions, the
// answers they loaded from the services, and its unbounded cache: hundreds of bytes a request.
test(
  `the gateway service: ${ROUNDS * REQUESTS_PER_ROUND} requests leave at most 128 kB`,
  limitLeaks('128 kB'),
  async () => {
    await runRounds(call, WARM_UP_ROUNDS, ROUNDS)
  },
)
