import type { FastifyInstance } from 'fastify'
import type { Variant } from '../variant.js'

/**
 * `GET /stats`: the variant, sessions held, cached responses and the process's memory. With `?gc=1`, and the
 * process started with `--expose-gc`, a full garbage collection runs first, so the heap figure is what is
 * reachable rather than what happens not to be collected yet.
 */
export function statsRoute(app: FastifyInstance, variant: Variant): void {
  app.get<{ Querystring: { gc?: string } }>('/stats', async (request) => {
    const collected = request.query.gc === '1' && typeof globalThis.gc === 'function'
    if (collected) globalThis.gc?.()
    const { heapUsed, external, rss } = process.memoryUsage()
    return {
      variant: variant.name,
      sessions: variant.sessions,
      cachedResponses: variant.cache.size,
      memory: { heapUsed, external, rss, afterFullGc: collected },
    }
  })
}
