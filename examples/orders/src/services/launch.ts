import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { VariantName } from '../variant.js'
import { createGatewayService } from './gateway-service.js'
import { type CacheKind, localCache, noCache, redisCache } from './orders-cache.js'
import { createOrdersService } from './orders-service.js'
import { createProductsService } from './products-service.js'
import type { Service, ServiceName } from './service.js'

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url))
// The example's folder, where tsx resolves from, whichever folder the parent runs in.
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** A service could not be started: it exited, or said something else than where it listens. */
export class ServiceStartError extends Error {
  constructor(name: string, what: string) {
    super(`The ${name} service did not start: ${what}`)
    this.name = 'ServiceStartError'
  }
}

export interface RunningService {
  readonly name: ServiceName
  readonly url: string
  /** The child process, or undefined for a service hosted in this process. */
  readonly child: ChildProcess | undefined
  /** Stops it: SIGTERM for a child (resolves to its exit code), close() for one in this process (0). */
  stop(): Promise<number | null>
}

/**
 * Starts one service in its own Node process on a free loopback port (port 0: the child prints the port it got,
 * and the parent reads it from its first line). `nodeArgs` go to Node (`--expose-gc`, say).
 */
export async function spawnService(name: ServiceName, args: string[] = [], nodeArgs: string[] = []) {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', MAIN, name, '--port', '0', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => [`exited with code ${code}`]),
  ])) as [string]
  const url = /listening on (\S+)/.exec(line)?.[1]
  if (!url) throw new ServiceStartError(name, line)
  return {
    name,
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      return (await exited)[0] as number | null
    },
  } satisfies RunningService
}

function hosted(service: Service, url: string): RunningService {
  return {
    name: service.name,
    url,
    child: undefined,
    stop: async () => {
      await service.close()
      return 0
    },
  }
}

export interface ServicesOptions {
  /** The gateway's variant. Default `fixed`. */
  variant?: VariantName
  /** The orders service's cache. Default `none`. */
  cache?: CacheKind
  /** Where Redis listens, for `cache: 'redis'`. */
  redis?: string
  /** The most entries of each of the gateway's caches (its variant's bound; default 1,000). */
  gatewayCacheEntries?: number
  /** The one service to run in this process instead of a child (memgate measures the process it runs in). */
  inProcess?: ServiceName
  /** Node options for the children. */
  nodeArgs?: string[]
}

export interface RunningServices {
  products: RunningService
  orders: RunningService
  gateway: RunningService
  /** The service run in this process, when one is. */
  hosted?: Service
  /** Stops the gateway, then orders, then products; resolves to their exit codes in that order. */
  stop(): Promise<(number | null)[]>
}

/** Starts the products service, then the orders service, then the gateway in front of them. */
export async function startServices(options: ServicesOptions = {}): Promise<RunningServices> {
  const {
    variant = 'fixed',
    cache = 'none',
    redis = 'redis://127.0.0.1:6379',
    inProcess,
    nodeArgs = [],
  } = options
  const entries = options.gatewayCacheEntries
  let inThisProcess: Service | undefined
  const started: RunningService[] = []
  const start = async (name: ServiceName, args: string[], create: () => Promise<Service> | Service) => {
    if (name !== inProcess) {
      const service = await spawnService(name, args, nodeArgs)
      started.push(service)
      return service
    }
    inThisProcess = await create()
    const service = hosted(inThisProcess, await inThisProcess.listen())
    started.push(service)
    return service
  }
  try {
    const products = await start('products', [], () => createProductsService())
    const orders = await start('orders', ['--cache', cache, '--redis', redis], async () =>
      createOrdersService({
        cache: cache === 'redis' ? await redisCache(redis) : cache === 'local' ? localCache() : noCache(),
      }),
    )
    const upstreams = { products: products.url, orders: orders.url }
    const gatewayArgs = ['--variant', variant, '--products', products.url, '--orders', orders.url]
    if (entries !== undefined) gatewayArgs.push('--cache-entries', String(entries))
    const gateway = await start('gateway', gatewayArgs, () =>
      createGatewayService({
        variant,
        upstreams,
        ...(entries === undefined ? {} : { cache: { max: entries } }),
      }),
    )
    return {
      products,
      orders,
      gateway,
      ...(inThisProcess ? { hosted: inThisProcess } : {}),
      stop: async () => [await gateway.stop(), await orders.stop(), await products.stop()],
    }
  } catch (error) {
    for (const service of started.reverse()) await service.stop()
    throw error
  }
}
