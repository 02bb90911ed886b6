// Runs the load test's rounds through one gateway in this process, so that `memgate run` can watch it:
//   ORDERS_VARIANT=leaky pnpm flamegraph      (or fixed, the default)
// Prints what the gateway held at the end.
import { createGateway } from '../src/gateway.js'
import type { VariantName } from '../src/variant.js'

const variant = (process.env.ORDERS_VARIANT ?? 'fixed') as VariantName
const ROUNDS = Number(process.env.ROUNDS ?? 1_000)
const gateway = createGateway({ variant })
const url = await gateway.listen()

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

for (let round = 0; round < ROUNDS; round++) {
  const id = `p-${round}`
  await call('POST', '/products', { id, title: `Product ${round}`, priceCents: 100 + (round % 900) })
  await call('GET', `/products/${id}`)
  const order = (await call('POST', '/orders', { lines: [{ productId: id, quantity: 2 }] })) as { id: number }
  await call('GET', `/orders/${order.id}`)
  await call('GET', `/orders?after=${Math.max(0, order.id - 10)}&limit=10`)
  await call('GET', '/products?limit=10')
  await call('DELETE', `/products/${id}`)
}
console.log(
  `${variant} gateway: ${ROUNDS * 7} requests; ${gateway.variant.sessions} sessions and ` +
    `${gateway.variant.cache.size} cached responses held at the end`,
)
await gateway.close()
