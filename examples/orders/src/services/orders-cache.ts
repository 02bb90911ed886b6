import { createClient } from '@redis/client'
import { LRUCache } from 'lru-cache'

export type CacheKind = 'none' | 'local' | 'redis'
export const CACHE_KINDS: readonly CacheKind[] = ['none', 'local', 'redis']

/** The seed's cache: 500 entries, each served for 600 s. */
export const SEED_CACHE = { max: 500, ttlSeconds: 600 } as const

/**
 * The orders service's cache of answers (JSON text): single orders by `order:<id>`, and the list's pages,
 * which a new order drops. Asynchronous, so that it can live outside the process.
 */
export interface OrdersCache {
  readonly kind: CacheKind
  get(key: string): Promise<string | undefined>
  set(key: string, body: string): Promise<void>
  /** A new order changed the list: drops every cached page. */
  dropPages(): Promise<void>
  /** Entries held now. */
  size(): Promise<number>
  close(): Promise<void>
}

const isPage = (key: string) => key.startsWith('orders?')

/** No cache: every read goes to the database. */
export function noCache(): OrdersCache {
  return {
    kind: 'none',
    get: async () => undefined,
    set: async () => {},
    dropPages: async () => {},
    size: async () => 0,
    close: async () => {},
  }
}

/**
 * The seed's in-process TTL cache (cachetools' `TTLCache(maxsize=500, ttl=600)`), in lru-cache: bounded by
 * count and age, not by bytes — every entry's text lives in this process's heap, and counts against its limit.
 */
export function localCache({ max = SEED_CACHE.max, ttlSeconds = SEED_CACHE.ttlSeconds } = {}): OrdersCache {
  const create = () => new LRUCache<string, string>({ max, ttl: ttlSeconds * 1000 })
  const items = create()
  const pages = create()
  const cacheOf = (key: string) => (isPage(key) ? pages : items)
  return {
    kind: 'local',
    get: async (key) => cacheOf(key).get(key),
    set: async (key, body) => {
      cacheOf(key).set(key, body)
    },
    dropPages: async () => pages.clear(),
    size: async () => items.size + pages.size,
    close: async () => {
      items.clear()
      pages.clear()
    },
  }
}

/** Redis could not be reached at the URL given. */
export class RedisUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `No Redis at ${url} (${(cause as Error).message}); start one (redis-server --port 6379) or use --cache local`,
    )
    this.name = 'RedisUnavailableError'
  }
}

/**
 * The seed's second try: the same entries in Redis, each with a TTL (SET … EX), the pages in one hash that a new
 * order deletes. The answers live in the Redis server's memory, not in this process's heap.
 */
export async function redisCache(
  url: string,
  { ttlSeconds = SEED_CACHE.ttlSeconds } = {},
): Promise<OrdersCache> {
  const client = createClient({ url, socket: { reconnectStrategy: false } })
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (error) {
    throw new RedisUnavailableError(url, error)
  }
  const PAGES = 'orders:pages'
  return {
    kind: 'redis',
    get: async (key) =>
      (isPage(key) ? await client.hGet(PAGES, key) : await client.get(key))?.toString() ?? undefined,
    set: async (key, body) => {
      if (!isPage(key)) {
        await client.set(key, body, { EX: ttlSeconds })
        return
      }
      await client.hSet(PAGES, key, body)
      await client.expire(PAGES, ttlSeconds)
    },
    dropPages: async () => {
      await client.del(PAGES)
    },
    size: async () => {
      const pages = await client.hLen(PAGES)
      return (await client.dbSize()) - (pages > 0 ? 1 : 0) + pages
    },
    close: async () => {
      client.destroy()
    },
  }
}
