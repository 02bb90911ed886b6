import { openDatabase } from '../database.js'
import { OrderNotFoundError } from '../errors.js'
import type { OrderLine } from '../model.js'
import { Queries } from '../queries.js'
import { sendJson } from '../routes/reply.js'
import { orderParams, ordersQuery, pricedOrderBody } from '../routes/schemas.js'
import { noCache, type OrdersCache } from './orders-cache.js'
import { type Service, service, serviceApp, serviceStats } from './service.js'

/**
 * The orders service: the order book, in its own SQLite database, with the seed's cache in front of its reads
 * (none by default; `localCache()` in this process, `redisCache()` in Redis). Answers the gateway only: an
 * order or 404, a page as `{ items, after }`, 201 and the order for lines priced by the gateway.
 */
export function createOrdersService(options: { database?: string; cache?: OrdersCache } = {}): Service {
  const db = openDatabase(options.database)
  const queries = new Queries(db)
  const cache = options.cache ?? noCache()
  const app = serviceApp()
  app.get<{ Params: { id: number } }>(
    '/orders/:id',
    { schema: { params: orderParams } },
    async (request, reply) => {
      const key = `order:${request.params.id}`
      let body = await cache.get(key)
      if (body === undefined) {
        const order = queries.order(request.params.id)
        if (!order) throw new OrderNotFoundError(request.params.id)
        body = JSON.stringify(order)
        await cache.set(key, body)
      }
      return sendJson(reply, body)
    },
  )
  app.get<{ Querystring: { limit: number; after: number } }>(
    '/orders',
    { schema: { querystring: ordersQuery } },
    async (request, reply) => {
      const { after, limit } = request.query
      const key = `orders?after=${after}&limit=${limit}`
      let body = await cache.get(key)
      if (body === undefined) {
        body = JSON.stringify(queries.orders(after, limit))
        await cache.set(key, body)
      }
      return sendJson(reply, body)
    },
  )
  app.post<{ Body: { lines: OrderLine[] } }>(
    '/orders',
    { schema: { body: pricedOrderBody } },
    async (request, reply) => {
      const order = queries.insertOrder(request.body.lines)
      await cache.dropPages()
      return sendJson(reply, JSON.stringify(order), 201)
    },
  )
  serviceStats(app, async () => ({ cache: cache.kind, cachedResponses: await cache.size() }))
  return service('orders', app, async () => {
    await cache.close()
    db.close()
  })
}
