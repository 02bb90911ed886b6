import type { CacheBounds } from '../fixed/cache.js'
import { createGatewayApp } from '../gateway.js'
import type { Variant, VariantName } from '../variant.js'
import { RemoteStore, type Upstreams } from './remote-store.js'
import { type Service, service } from './service.js'

export interface GatewayServiceOptions {
  variant: VariantName
  /** Where the products and orders services listen. */
  upstreams: Upstreams
  cache?: CacheBounds
}

/**
 * The gateway as one of three services: the same routes, variant (leaky or fixed) and cache as `createGateway`,
 * with no database of its own — its sessions read and write through the products and orders services.
 */
export function createGatewayService(options: GatewayServiceOptions): Service & { variant: Variant } {
  const { app, variant } = createGatewayApp(options, new RemoteStore(options.upstreams))
  return { ...service('gateway', app), variant }
}
