import type { Order, OrderRequest, Page, Product } from './model.js'

type Answer<T> = T | Promise<T>

/**
 * Where a session reads and writes: the gateway's own SQLite database (`Queries`, synchronous) or the products
 * and orders services over HTTP (`RemoteStore`), when the gateway runs as one of three services.
 */
export interface Store {
  product(id: string): Answer<Product | undefined>
  products(after: string, limit: number): Answer<Page<Product>>
  /** False when a product with that id exists already. */
  insertProduct(product: Product): Answer<boolean>
  /** False when there was no such product. */
  deleteProduct(id: string): Answer<boolean>
  order(id: number): Answer<Order | undefined>
  orders(after: number, limit: number): Answer<Page<Order>>
  /** Places an order at the catalogue's prices; throws UnknownProductError. */
  placeOrder(request: OrderRequest): Answer<Order>
}
