import { UnknownProductError } from '../errors.js'
import type { Order, OrderLine, OrderRequest, Page, Product } from '../model.js'
import type { Store } from '../store.js'

/** A service answered what it should not have: the gateway's 500, naming the call. */
export class UpstreamError extends Error {
  constructor(call: string, status: number, text: string) {
    super(`${call} answered ${status}: ${text.slice(0, 200)}`)
    this.name = 'UpstreamError'
  }
}

export interface Upstreams {
  /** The products service's base URL, `http://127.0.0.1:<port>`. */
  products: string
  /** The orders service's. */
  orders: string
}

/**
 * The gateway's store when it runs as one of three services: products from the products service, orders from
 * the orders service, over HTTP. An order is priced here, from the products service, and stored priced by the
 * orders service, as the seed's gateway did.
 */
export class RemoteStore implements Store {
  constructor(readonly upstreams: Upstreams) {}

  async product(id: string): Promise<Product | undefined> {
    return this.#read(`${this.upstreams.products}/products/${encodeURIComponent(id)}`)
  }

  async products(after: string, limit: number): Promise<Page<Product>> {
    const query = `after=${encodeURIComponent(after)}&limit=${limit}`
    return (await this.#read(`${this.upstreams.products}/products?${query}`)) as Page<Product>
  }

  async insertProduct(product: Product): Promise<boolean> {
    return (await this.#write('POST', `${this.upstreams.products}/products`, product, 201, 409)) === 201
  }

  async deleteProduct(id: string): Promise<boolean> {
    const url = `${this.upstreams.products}/products/${encodeURIComponent(id)}`
    return (await this.#write('DELETE', url, undefined, 204, 404)) === 204
  }

  async order(id: number): Promise<Order | undefined> {
    return this.#read(`${this.upstreams.orders}/orders/${id}`)
  }

  async orders(after: number, limit: number): Promise<Page<Order>> {
    return (await this.#read(`${this.upstreams.orders}/orders?after=${after}&limit=${limit}`)) as Page<Order>
  }

  async placeOrder(request: OrderRequest): Promise<Order> {
    const lines: OrderLine[] = []
    for (const [i, { productId, quantity }] of request.lines.entries()) {
      const product = await this.product(productId)
      if (!product) throw new UnknownProductError(i, productId)
      lines.push({ productId, quantity, priceCents: product.priceCents })
    }
    const response = await send('POST', `${this.upstreams.orders}/orders`, { lines })
    const text = await response.text()
    if (response.status !== 201)
      throw new UpstreamError(`POST ${this.upstreams.orders}/orders`, response.status, text)
    return JSON.parse(text)
  }

  /** The JSON answer, or undefined for a 404. */
  // biome-ignore lint/suspicious/noExplicitAny: each caller names what the service answers
  async #read(url: string): Promise<any> {
    const response = await send('GET', url)
    const text = await response.text()
    if (response.status === 404) return undefined
    if (response.status !== 200) throw new UpstreamError(`GET ${url}`, response.status, text)
    return JSON.parse(text)
  }

  async #write(method: string, url: string, body: unknown, ...expected: number[]): Promise<number> {
    const response = await send(method, url, body)
    const text = await response.text()
    if (!expected.includes(response.status))
      throw new UpstreamError(`${method} ${url}`, response.status, text)
    return response.status
  }
}

function send(method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
}
