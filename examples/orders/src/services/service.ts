import Fastify, { type FastifyInstance } from 'fastify'
import { listen } from '../gateway.js'
import { installErrorHandling } from '../routes/errors.js'

export type ServiceName = 'gateway' | 'orders' | 'products'
export const SERVICES: readonly ServiceName[] = ['products', 'orders', 'gateway']

/** One of the three services: a Fastify app of its own, listening on loopback. */
export interface Service {
  readonly name: ServiceName
  readonly app: FastifyInstance
  /** Starts listening (port 0: any free port) and resolves to the base URL. */
  listen(port?: number, host?: string): Promise<string>
  /** Stops listening, lets open requests finish, then lets go of what the service holds. */
  close(): Promise<void>
}

/** A Fastify app with the gateway's error answers, refusing unknown properties. */
export function serviceApp(): FastifyInstance {
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false } } })
  installErrorHandling(app)
  return app
}

/** A service over `app`, with `extra` run once the app has closed. */
export function service(
  name: ServiceName,
  app: FastifyInstance,
  extra?: () => Promise<void> | void,
): Service {
  if (extra) app.addHook('onClose', async () => extra())
  return { name, app, listen: (port, host) => listen(app, port, host), close: () => app.close() }
}

/** `GET /stats` of a service: its memory (after a full GC with `?gc=1` where gc() is exposed), and `more`. */
export function serviceStats(app: FastifyInstance, more: () => Promise<object> | object = () => ({})): void {
  app.get<{ Querystring: { gc?: string } }>('/stats', async (request) => {
    const collected = request.query.gc === '1' && typeof globalThis.gc === 'function'
    if (collected) globalThis.gc?.()
    const { heapUsed, external, rss } = process.memoryUsage()
    return { ...(await more()), memory: { heapUsed, external, rss, afterFullGc: collected } }
  })
}
