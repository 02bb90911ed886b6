import type { FastifyInstance } from 'fastify'
import { OrderNotFoundError } from '../errors.js'
import type { OrderRequest } from '../model.js'
import type { Variant } from '../variant.js'
import { sendJson } from './reply.js'
import { orderBody, orderParams, ordersQuery } from './schemas.js'

export function orderRoutes(app: FastifyInstance, variant: Variant): void {
  const { cache } = variant

  app.post<{ Body: OrderRequest }>('/orders', { schema: { body: orderBody } }, async (request, reply) => {
    const order = await variant.sessionFor(request).placeOrder(request.body)
    cache.dropPages('orders')
    return sendJson(reply, JSON.stringify(order), 201)
  })

  app.get<{ Params: { id: number } }>(
    '/orders/:id',
    { schema: { params: orderParams } },
    async (request, reply) => {
      const key = `order:${request.params.id}`
      let body = cache.get(key)
      if (body === undefined) {
        const order = await variant.sessionFor(request).order(request.params.id)
        if (!order) throw new OrderNotFoundError(request.params.id)
        body = JSON.stringify(order)
        cache.set(key, body)
      }
      return sendJson(reply, body)
    },
  )

  // Paginated by key (orders after a given id, oldest first): a page costs the same however many orders
  // there are, and a client walks them all by following `next`.
  app.get<{ Querystring: { limit: number; after: number } }>(
    '/orders',
    { schema: { querystring: ordersQuery } },
    async (request, reply) => {
      const { limit, after } = request.query
      const key = `orders?after=${after}&limit=${limit}`
      let body = cache.get(key)
      if (body === undefined) {
        const page = await variant.sessionFor(request).orders(after, limit)
        body = JSON.stringify({
          orders: page.items,
          next: page.after === null ? null : `/orders?after=${page.after}&limit=${limit}`,
        })
        cache.set(key, body)
      }
      return sendJson(reply, body)
    },
  )
}
