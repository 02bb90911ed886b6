import { createGateway, type Gateway, type GatewayOptions } from '../src/gateway.js'
import { createGatewayService } from '../src/services/gateway-service.js'
import { createOrdersService } from '../src/services/orders-service.js'
import { createProductsService } from '../src/services/products-service.js'
import { VARIANTS, type VariantName } from '../src/variant.js'
import { caller } from './services.js'

export interface Answer {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: the tests read whatever JSON the gateway answered
  body: any
}

/** A gateway on loopback, any free port, and a function that sends it one request. */
export async function startGateway(
  options: GatewayOptions,
): Promise<{ gateway: Gateway; call: (method: string, path: string, body?: unknown) => Promise<Answer> }> {
  const gateway = createGateway(options)
  const url = await gateway.listen()
  return {
    gateway,
    call: async (method, path, body) => {
      const response = await fetch(`${url}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : {
              headers: { 'content-type': 'application/json' },
              body: typeof body === 'string' ? body : JSON.stringify(body),
            }),
      })
      const text = await response.text()
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
    },
  }
}

/** The gateway alone with its database, or as one of three services in front of products and orders. */
export type Layout = 'one process' | 'three services'

/** Every variant in every layout, for `describe.each`. */
export const LAYOUTS: [VariantName, Layout][] = VARIANTS.flatMap((variant) => [
  [variant, 'one process'] as [VariantName, Layout],
  [variant, 'three services'] as [VariantName, Layout],
])

/**
 * A gateway in `layout` and a function that sends it one request. For three services all three run here, each
 * on its own loopback port and calling the others over HTTP, so that a test starts them in milliseconds
 * (`startServices` runs them as processes).
 */
export async function startLayout(
  variant: VariantName,
  layout: Layout,
): Promise<{
  call: (method: string, path: string, body?: unknown) => Promise<Answer>
  close: () => Promise<void>
}> {
  if (layout === 'one process') {
    const { gateway, call } = await startGateway({ variant })
    return { call, close: () => gateway.close() }
  }
  const products = createProductsService()
  const orders = createOrdersService()
  const upstreams = { products: await products.listen(), orders: await orders.listen() }
  const gateway = createGatewayService({ variant, upstreams })
  const call = caller(await gateway.listen())
  return {
    call,
    close: async () => {
      await gateway.close()
      await orders.close()
      await products.close()
    },
  }
}
