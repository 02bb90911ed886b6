import { LRUCache } from 'lru-cache'
import type { ListName, ResponseCache } from '../variant.js'

export interface CacheBounds {
  /** Most entries per cache (items, and each list's pages). Default 1,000. */
  max?: number
  /** Most bytes of JSON text per cache, counted as string length (the bodies are ASCII). Default 1 MB. */
  maxBytes?: number
  /** How long an entry may be served, in ms. Default 30,000. */
  ttlMs?: number
}

/**
 * Response bodies in least-recently-used caches bounded by count, size and age: one for single products and
 * orders, one per list for its pages, so a write drops a list's pages at once without scanning the rest.
 */
export class BoundedCache implements ResponseCache {
  readonly #items: LRUCache<string, string>
  readonly #pages: Record<ListName, LRUCache<string, string>>

  constructor({ max = 1_000, maxBytes = 1_000_000, ttlMs = 30_000 }: CacheBounds = {}) {
    const create = () =>
      new LRUCache<string, string>({
        max,
        maxSize: maxBytes,
        sizeCalculation: (body) => body.length,
        ttl: ttlMs,
      })
    this.#items = create()
    this.#pages = { products: create(), orders: create() }
  }

  get size(): number {
    return this.#items.size + this.#pages.products.size + this.#pages.orders.size
  }

  get(key: string): string | undefined {
    return this.#cacheOf(key).get(key)
  }

  set(key: string, body: string): void {
    this.#cacheOf(key).set(key, body)
  }

  delete(key: string): void {
    this.#cacheOf(key).delete(key)
  }

  dropPages(list: ListName): void {
    this.#pages[list].clear()
  }

  #cacheOf(key: string): LRUCache<string, string> {
    if (key.startsWith('products?')) return this.#pages.products
    if (key.startsWith('orders?')) return this.#pages.orders
    return this.#items
  }
}
