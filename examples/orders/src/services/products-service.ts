import { openDatabase } from '../database.js'
import { ProductExistsError, ProductNotFoundError } from '../errors.js'
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
    async (request) => {
      const product = queries.product(request.params.id)
      if (!product) throw new ProductNotFoundError(request.params.id)
      return product
    },
  )
  app.get<{ Querystring: { limit: number; after: string } }>(
    '/products',
    { schema: { querystring: productsQuery } },
    async (request) => queries.products(request.query.after, request.query.limit),
  )
  app.post<{ Body: Product }>('/products', { schema: { body: productBody } }, async (request, reply) => {
    const { id, title, priceCents } = request.body
    if (!queries.insertProduct({ id, title, priceCents })) throw new ProductExistsError(id)
    return reply.code(201).send({ id, title, priceCents })
  })
  app.delete<{ Params: { id: string } }>(
    '/products/:id',
    { schema: { params: productParams } },
    async (request, reply) => {
      if (!queries.deleteProduct(request.params.id)) throw new ProductNotFoundError(request.params.id)
      return reply.code(204).send()
    },
  )
  serviceStats(app)
  return service('products', app, () => db.close())
}
