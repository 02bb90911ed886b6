// Each backing service under a limit of its own: the same rounds of requests go through the gateway, and the
// service measured runs in this process (memgate measures the process it runs in) while the other two run as
// child processes. The gateway's own gate is services-gateway-leaks.test.ts.
import { limitLeaks } from '@memgate/vitest'
import { afterAll, beforeAll, describe, test } from 'vitest'
import type { RunningServices } from '../src/services/launch.js'
import type { ServiceName } from '../src/services/service.js'
import { type Call, startThree } from './services.js'
import { REQUESTS_PER_ROUND, runRounds } from './workload.js'

const WARM_UP_ROUNDS = 100
const ROUNDS = 150

describe.for<ServiceName>(['products', 'orders'])('the %s service', (name) => {
  let services: RunningServices
  let call: Call
  beforeAll(async () => {
    ;({ services, call } = await startThree({ inProcess: name }))
    await runRounds(call, 0, WARM_UP_ROUNDS)
  }, 120_000)
  afterAll(() => services?.stop())

  // Neither service keeps anything per request (no sessions, and the orders service caches nothing by
  // default). What stays is bookkeeping of Node's and of this process's own HTTP client (undici's registry of
  // responses, Node's resource timings): 40–100 kB in the runs made while writing this, more on a busy
  // machine. 128 kB is the gateway's limit too: ~120 bytes a request.
  test(
    `${ROUNDS * REQUESTS_PER_ROUND} requests through the gateway leave at most 128 kB in it`,
    limitLeaks('128 kB'),
    async () => {
      await runRounds(call, WARM_UP_ROUNDS, ROUNDS)
    },
  )
})
