// Starts one of the three services: `pnpm service <products|orders|gateway> [options]`.
//   products  [--database file]
//   orders    [--database file] [--cache none|local|redis] [--redis redis://127.0.0.1:6379]
//   gateway   --products URL --orders URL [--variant fixed|leaky] [--cache-entries 1000]
// All take [--port 0-65535] (0, the default: any free port) [--host 127.0.0.1]. Prints
// "<name> service listening on <url>" first; stops cleanly on SIGTERM or SIGINT (exit 0).
import { parseArgs } from 'node:util'
import { UnknownVariantError } from '../gateway.js'
import type { VariantName } from '../variant.js'
import { createGatewayService } from './gateway-service.js'
import {
  CACHE_KINDS,
  type CacheKind,
  localCache,
  noCache,
  RedisUnavailableError,
  redisCache,
} from './orders-cache.js'
import { createOrdersService } from './orders-service.js'
import { createProductsService } from './products-service.js'
import { SERVICES, type Service, type ServiceName } from './service.js'

const USAGE =
  'Usage: service products|orders|gateway [--port 0-65535] [--host address] [--database file] ' +
  '[--cache none|local|redis] [--redis url] [--variant fixed|leaky] [--products url] [--orders url] ' +
  '[--cache-entries n]'

function fail(reason: string): never {
  console.error(`${reason}\n${USAGE}`)
  process.exit(2)
}

let parsed: ReturnType<typeof parse>
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      database: { type: 'string', default: ':memory:' },
      cache: { type: 'string', default: 'none' },
      redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
      variant: { type: 'string', default: 'fixed' },
      products: { type: 'string' },
      orders: { type: 'string' },
      'cache-entries': { type: 'string', default: '1000' },
    },
  })
}
try {
  parsed = parse()
} catch (error) {
  fail((error as Error).message)
}
const { values, positionals } = parsed
const name = positionals[0] as ServiceName
if (positionals.length !== 1 || !SERVICES.includes(name))
  fail(`Name one service, one of: ${SERVICES.join(', ')}; got "${positionals.join(' ')}"`)
const port = Number(values.port)
if (!/^\d+$/.test(values.port) || port > 65535)
  fail(`--port must be a whole number from 0 to 65535, got "${values.port}"`)

async function create(): Promise<Service> {
  if (name === 'products') return createProductsService({ database: values.database })
  if (name === 'orders') {
    const kind = values.cache as CacheKind
    if (!CACHE_KINDS.includes(kind)) fail(`--cache must be one of ${CACHE_KINDS.join(', ')}, got "${kind}"`)
    const cache =
      kind === 'redis' ? await redisCache(values.redis) : kind === 'local' ? localCache() : noCache()
    return createOrdersService({ database: values.database, cache })
  }
  if (!values.products || !values.orders) fail('The gateway needs --products URL and --orders URL')
  const upstreams = { products: values.products, orders: values.orders }
  const max = Number(values['cache-entries'])
  if (!/^\d+$/.test(values['cache-entries']) || max < 1)
    fail(`--cache-entries must be a whole number of 1 or more, got "${values['cache-entries']}"`)
  return createGatewayService({ variant: values.variant as VariantName, upstreams, cache: { max } })
}

let running: Service
try {
  running = await create()
} catch (error) {
  if (error instanceof UnknownVariantError || error instanceof RedisUnavailableError) fail(error.message)
  throw error
}
const url = await running.listen(port, values.host)
console.log(`${name} service listening on ${url}`)
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    running.close().then(() => process.exit(0))
  })
}
