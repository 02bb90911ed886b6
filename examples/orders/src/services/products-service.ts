import { openDatabase } from '../database.js'
import type { Product } from '../model.js'
import { Queries } from '../queries.js'
import { productBody, productParams, productsQuery } from '../routes/schemas.js'
import { type Service, service, serviceApp, serviceStats } from './service.js'

/**
 * The products service: the catalogue, in its own SQLite database. Answers the gateway only: a product or 404,
 * a page as `{ items, after }`, 201 or 409 on create, 204 or 404 on delete.
 */
export function createProductsService(options: { database?: string } = {}): Service {
  const db = openDatabase(options.database)
  const queries = new Queries(db)
  const app = serviceApp()
  app.get<{ Params: { id: string } }>(
    '/products/:id',
    { schema: { params: productParams } },
    (request, reply) => {
      const product = queries.product(request.params.id)
      return product
        ? product
        : reply.code(404).send({ error: 'PRODUCT_NOT_FOUND', message: request.params.id })
    },
  )
  app.get<{ Querystring: { limit: number; after: string } }>(
    '/products',
    { schema: { querystring: productsQuery } },
    async (request) => queries.products(request.query.after, request.query.limit),
  )
  app.post<{ Body: Product }>('/products', { schema: { body: productBody } }, async (request, reply) => {
    const { id, title, priceCents } = request.body
    const created = queries.insertProduct({ id, title, priceCents })
    return reply.code(created ? 201 : 409).send({ id, title, priceCents })
  })
  app.delete<{ Params: { id: string } }>(
    '/products/:id',
    { schema: { params: productParams } },
    async (request, reply) => reply.code(queries.deleteProduct(request.params.id) ? 204 : 404).send(),
  )
  serviceStats(app)
  return service('products', app, () => db.close())
}
