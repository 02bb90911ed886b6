import type { ListName, ResponseCache } from '../variant.js'

/**
 * Every response body ever cached, in a Map with no bound and no expiry: each product and order read stays
 * for the life of the process, and a write scans every key to drop a list's pages.
 */
export class UnboundedCache implements ResponseCache {
  readonly responses = new Map<string, string>()

  get size(): number {
    return this.responses.size
  }

  get(key: string): string | undefined {
    return this.responses.get(key)
  }

  set(key: string, body: string): void {
    this.responses.set(key, body)
  }

  delete(key: string): void {
    this.responses.delete(key)
  }

  dropPages(list: ListName): void {
    for (const key of this.responses.keys()) if (key.startsWith(`${list}?`)) this.responses.delete(key)
  }
}
