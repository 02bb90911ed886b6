import type { Order, OrderRequest, Page, Product } from './model.js'
import type { Store } from './store.js'

/** A session was used after it was closed: its request is over. */
export class SessionClosedError extends Error {
  constructor(requestId: string) {
    super(`The database session of request ${requestId} is closed; open a new one for each request`)
    this.name = 'SessionClosedError'
  }
}

/**
 * One unit of work over the database, like an ORM session: the queries of one request go through it, and it
 * keeps an identity map of the rows it loaded, so a second read in the same unit of work returns the same
 * object. Meant to live as long as its request: `close()` drops what it loaded.
 */
export class DatabaseSession {
  readonly #loaded = new Map<string, Product | Order>()
  #closed = false

  constructor(
    readonly requestId: string,
    private readonly queries: Store,
  ) {}

  get closed(): boolean {
    return this.#closed
  }

  /** How many rows the identity map holds. */
  get loaded(): number {
    return this.#loaded.size
  }

  async product(id: string): Promise<Product | undefined> {
    return (await this.#load(`product:${id}`, () => this.queries.product(id))) as Product | undefined
  }

  async products(after: string, limit: number): Promise<Page<Product>> {
    this.#open()
    const page = await this.queries.products(after, limit)
    for (const product of page.items) this.#loaded.set(`product:${product.id}`, product)
    return page
  }

  /** False when a product with that id exists already. */
  async createProduct(product: Product): Promise<boolean> {
    this.#open()
    const created = await this.queries.insertProduct(product)
    if (created) this.#loaded.set(`product:${product.id}`, product)
    return created
  }

  /** False when there was no such product. */
  async deleteProduct(id: string): Promise<boolean> {
    this.#open()
    this.#loaded.delete(`product:${id}`)
    return this.queries.deleteProduct(id)
  }

  async order(id: number): Promise<Order | undefined> {
    return (await this.#load(`order:${id}`, () => this.queries.order(id))) as Order | undefined
  }

  async orders(after: number, limit: number): Promise<Page<Order>> {
    this.#open()
    const page = await this.queries.orders(after, limit)
    for (const order of page.items) this.#loaded.set(`order:${order.id}`, order)
    return page
  }

  async placeOrder(request: OrderRequest): Promise<Order> {
    this.#open()
    const order = await this.queries.placeOrder(request)
    this.#loaded.set(`order:${order.id}`, order)
    return order
  }

  close(): void {
    this.#loaded.clear()
    this.#closed = true
  }

  async #load(
    key: string,
    read: () => Product | Order | undefined | Promise<Product | Order | undefined>,
  ): Promise<Product | Order | undefined> {
    this.#open()
    const known = this.#loaded.get(key)
    if (known) return known
    const row = await read()
    if (row) this.#loaded.set(key, row)
    return row
  }

  #open(): void {
    if (this.#closed) throw new SessionClosedError(this.requestId)
  }
}
