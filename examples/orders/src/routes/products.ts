import type { FastifyInstance } from 'fastify'
import { ProductExistsError, ProductNotFoundError } from '../errors.js'
import type { Product } from '../model.js'
import type { Variant } from '../variant.js'
import { sendJson } from './reply.js'
import { productBody, productParams, productsQuery } from './schemas.js'

export function productRoutes(app: FastifyInstance, variant: Variant): void {
  const { cache } = variant

  app.post<{ Body: Product }>('/products', { schema: { body: productBody } }, async (request, reply) => {
    const { id, title, priceCents } = request.body
    const product = { id, title, priceCents }
    if (!(await variant.sessionFor(request).createProduct(product))) throw new ProductExistsError(id)
    cache.dropPages('products')
    return sendJson(reply, JSON.stringify(product), 201)
  })

  app.get<{ Params: { id: string } }>(
    '/products/:id',
    { schema: { params: productParams } },
    async (request, reply) => {
      const key = `product:${request.params.id}`
      let body = cache.get(key)
      if (body === undefined) {
        const product = await variant.sessionFor(request).product(request.params.id)
        if (!product) throw new ProductNotFoundError(request.params.id)
        body = JSON.stringify(product)
        cache.set(key, body)
      }
      return sendJson(reply, body)
    },
  )

  app.get<{ Querystring: { limit: number; after: string } }>(
    '/products',
    { schema: { querystring: productsQuery } },
    async (request, reply) => {
      const { limit, after } = request.query
      const key = `products?after=${encodeURIComponent(after)}&limit=${limit}`
      let body = cache.get(key)
      if (body === undefined) {
        const page = await variant.sessionFor(request).products(after, limit)
        body = JSON.stringify({
          products: page.items,
          next:
            page.after === null ? null : `/products?after=${encodeURIComponent(page.after)}&limit=${limit}`,
        })
        cache.set(key, body)
      }
      return sendJson(reply, body)
    },
  )

  app.delete<{ Params: { id: string } }>(
    '/products/:id',
    { schema: { params: productParams } },
    async (request, reply) => {
      const { id } = request.params
      if (!(await variant.sessionFor(request).deleteProduct(id))) throw new ProductNotFoundError(id)
      cache.delete(`product:${id}`)
      cache.dropPages('products')
      return reply.code(204).send()
    },
  )
}
