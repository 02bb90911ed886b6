// `pnpm smoke`: the wiring, end to end. For each gateway variant, starts the three services as the seed runs
// them — products, orders, and the gateway in front of them, each its own process on a free loopback port —
// calls every route of the gateway once in the order a client would, checks each status, then stops the three
// with SIGTERM and checks that each exited 0. One line per call; exit code 1 at the first surprise, naming it.
import { ServiceStartError, startServices } from '../src/services/launch.js'
import { VARIANTS, type VariantName } from '../src/variant.js'

interface Call {
  method: string
  path: string
  body?: unknown
  status: number
}

/** Every route of the README's table, once: a product's life with one order, and the service's stats. */
const CALLS: readonly Call[] = [
  { method: 'GET', path: '/orders', status: 200 },
  { method: 'POST', path: '/products', body: { id: 'smoke', title: 'Smoke', priceCents: 250 }, status: 201 },
  { method: 'GET', path: '/products/smoke', status: 200 },
  { method: 'GET', path: '/products', status: 200 },
  { method: 'POST', path: '/orders', body: { lines: [{ productId: 'smoke', quantity: 2 }] }, status: 201 },
  { method: 'GET', path: '/orders/1', status: 200 },
  { method: 'DELETE', path: '/products/smoke', status: 204 },
  { method: 'GET', path: '/stats', status: 200 },
]

class SmokeError extends Error {
  override name = 'SmokeError'
}

async function smoke(variant: string): Promise<void> {
  const services = await startServices({ variant: variant as VariantName })
  const url = services.gateway.url
  let codes: (number | null)[] = []
  try {
    console.log(
      `${variant} gateway on ${url}, in front of the products service on ${services.products.url} ` +
        `and the orders service on ${services.orders.url}`,
    )
    for (const call of CALLS) {
      const response = await fetch(`${url}${call.path}`, {
        method: call.method,
        ...(call.body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(call.body) }),
      })
      const text = await response.text()
      const line = `  ${call.method} ${call.path} → ${response.status}`
      if (response.status !== call.status)
        throw new SmokeError(`${line}, expected ${call.status}: ${text.slice(0, 200)}`)
      console.log(line)
    }
  } finally {
    codes = await services.stop()
  }
  if (codes.some((code) => code !== 0))
    throw new SmokeError(
      `gateway, orders and products exited with codes ${codes.join(', ')} on SIGTERM, expected 0`,
    )
  console.log('  stopped the gateway, orders and products services (exit codes 0, 0, 0)')
}

try {
  for (const variant of VARIANTS) await smoke(variant)
  console.log(
    `smoke: ${VARIANTS.length} gateways, each in front of its products and orders services, ` +
      `${CALLS.length} calls each, all as expected`,
  )
} catch (error) {
  if (!(error instanceof SmokeError || error instanceof ServiceStartError)) throw error
  console.error(`smoke: ${error.message}`)
  process.exitCode = 1
}
