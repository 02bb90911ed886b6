// Runs the load test's rounds through one gateway in this process, so that `memgate run` can watch it:
//   ORDERS_VARIANT=leaky pnpm flamegraph      (or fixed, the default)
//   tsx scripts/drive.ts [--services] [--rounds 1000]
// --services: the gateway as one of the three services, in this process (the one memgate watches), in front of
// the products and orders services as child processes. Prints what the gateway held at the end.
import { parseArgs } from 'node:util'
import { createGateway } from '../src/gateway.js'
import { startServices } from '../src/services/launch.js'
import type { VariantName } from '../src/variant.js'

const { values } = parseArgs({
  options: {
    services: { type: 'boolean', default: false },
    rounds: { type: 'string', default: process.env.ROUNDS ?? '1000' },
  },
})
const variant = (process.env.ORDERS_VARIANT ?? 'fixed') as VariantName
const ROUNDS = Number(values.rounds)
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error(`--rounds (or ROUNDS) must be a whole number of 1 or more, got "${values.rounds}"`)
  process.exit(2)
}

let url: string
let stop: () => Promise<unknown>
if (values.services) {
  const services = await startServices({ variant, inProcess: 'gateway' })
  url = services.gateway.url
  stop = () => services.stop()
} else {
  const gateway = createGateway({ variant })
  url = await gateway.listen()
  stop = () => gateway.close()
}

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`)
  return response.status === 204 ? undefined : response.json()
}

try {
  for (let round = 0; round < ROUNDS; round++) {
    const id = `p-${round}`
    await call('POST', '/products', { id, title: `Product ${round}`, priceCents: 100 + (round % 900) })
    await call('GET', `/products/${id}`)
    const order = (await call('POST', '/orders', { lines: [{ productId: id, quantity: 2 }] })) as {
      id: number
    }
    await call('GET', `/orders/${order.id}`)
    await call('GET', `/orders?after=${Math.max(0, order.id - 10)}&limit=10`)
    await call('GET', '/products?limit=10')
    await call('DELETE', `/products/${id}`)
  }
  const held = (await call('GET', '/stats')) as { sessions: number; cachedResponses: number }
  console.log(
    `${variant} gateway${values.services ? ' (three services)' : ''}: ${ROUNDS * 7} requests; ` +
      `${held.sessions} sessions and ${held.cachedResponses} cached responses held at the end`,
  )
} finally {
  await stop()
}
