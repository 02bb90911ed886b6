import Fastify, { type FastifyInstance } from 'fastify'
import { type Db, openDatabase } from './database.js'
import type { CacheBounds } from './fixed/cache.js'
import { createFixedVariant } from './fixed/variant.js'
import { createLeakyVariant } from './leaky/variant.js'
import { Queries } from './queries.js'
import { installErrorHandling } from './routes/errors.js'
import { orderRoutes } from './routes/orders.js'
import { productRoutes } from './routes/products.js'
import { statsRoute } from './routes/stats.js'
import type { Store } from './store.js'
import { VARIANTS, type Variant, type VariantName } from './variant.js'

export interface GatewayOptions {
  /** `leaky` (sessions kept for good, unbounded cache) or `fixed`. */
  variant: VariantName
  /** The SQLite database file; `:memory:` (the default) for one that lives as long as the gateway. */
  database?: string
  /** Bounds of the caches: the fixed variant's (the leaky one has none until you give it some). */
  cache?: CacheBounds
  /** Fastify's logger: off by default. */
  logger?: boolean
}

export interface Gateway {
  app: FastifyInstance
  db: Db
  queries: Queries
  variant: Variant
  /** Starts listening (port 0: any free port) and resolves to the base URL. */
  listen(port?: number, host?: string): Promise<string>
  /** Stops listening, lets open requests finish, then closes the database. */
  close(): Promise<void>
}

/** Thrown at once for a variant name that is neither `leaky` nor `fixed`. */
export class UnknownVariantError extends Error {
  constructor(name: string) {
    super(`Unknown gateway variant "${name}"; use one of: ${VARIANTS.join(', ')}`)
    this.name = 'UnknownVariantError'
  }
}

/** The products and orders gateway over its own embedded SQLite database. */
export function createGateway(options: GatewayOptions): Gateway {
  if (!VARIANTS.includes(options.variant)) throw new UnknownVariantError(String(options.variant))
  const db = openDatabase(options.database)
  const queries = new Queries(db)
  const { app, variant } = createGatewayApp(options, queries)
  app.addHook('onClose', async () => {
    db.close()
  })
  return {
    app,
    db,
    queries,
    variant,
    listen: (port, host) => listen(app, port, host),
    close: () => app.close(),
  }
}

/**
 * The gateway's routes and variant over any store: its own database (`createGateway`), or the products and
 * orders services (`src/services/gateway-service.ts`).
 */
export function createGatewayApp(
  options: Omit<GatewayOptions, 'database'>,
  store: Store,
): { app: FastifyInstance; variant: Variant } {
  if (!VARIANTS.includes(options.variant)) throw new UnknownVariantError(String(options.variant))
  const variant =
    options.variant === 'leaky'
      ? createLeakyVariant(store, options.cache)
      : createFixedVariant(store, options.cache)
  const app = Fastify({
    logger: options.logger ?? false,
    // Unknown properties are refused with a 400 rather than silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  })
  variant.install(app)
  installErrorHandling(app)
  productRoutes(app, variant)
  orderRoutes(app, variant)
  statsRoute(app, variant)
  return { app, variant }
}

/** Starts listening (port 0: any free port) and resolves to the base URL. */
export async function listen(app: FastifyInstance, port = 0, host = '127.0.0.1'): Promise<string> {
  await app.listen({ port, host })
  const address = app.server.address()
  if (address === null || typeof address === 'string') return String(address)
  return `http://${host}:${address.port}`
}
