import type { CacheBounds } from '../fixed/cache.js'
import type { Store } from '../store.js'
import type { Variant } from '../variant.js'
import { UnboundedCache } from './cache.js'
import { SessionRegistry } from './sessions.js'

/**
 * The gateway as first written: sessions kept in a registry for good, and an unbounded cache. `bounds` are
 * the cache bounds the gateway was given (`createGateway`'s `cache`; the leak test's are small): this cache
 * has none.
 */
export function createLeakyVariant(queries: Store, _bounds: CacheBounds = {}): Variant {
  const registry = new SessionRegistry(queries)
  return {
    name: 'leaky',
    cache: new UnboundedCache(),
    sessionFor: (request) => registry.sessionFor(request),
    install() {},
    get sessions() {
      return registry.sessions.length
    },
  }
}
