import type { Store } from '../store.js'
import type { Variant } from '../variant.js'
import { BoundedCache, type CacheBounds } from './cache.js'
import { RequestSessions } from './sessions.js'

/** The gateway fixed: one session per request, closed with it, and caches bounded by count, size and age. */
export function createFixedVariant(queries: Store, bounds: CacheBounds = {}): Variant {
  const sessions = new RequestSessions(queries)
  return {
    name: 'fixed',
    cache: new BoundedCache(bounds),
    sessionFor: (request) => sessions.sessionFor(request),
    install: (app) => sessions.install(app),
    get sessions() {
      return sessions.open
    },
  }
}
