// The orders service's caches: the seed's local TTL cache, and Redis beside it. The Redis tests start their own
// redis-server on a free loopback port, in memory only, and are skipped, saying so, where it is not installed
// (CI installs it: .ci/run). The memory lesson: the local cache's entries live in the service's heap and count
// against its limit; Redis holds the same entries outside the process.
import { measure } from '@memgate/core'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import {
  localCache,
  type OrdersCache,
  RedisUnavailableError,
  redisCache,
} from '../src/services/orders-cache.js'
import { createOrdersService } from '../src/services/orders-service.js'
import { findRedisServer, NO_REDIS, type RunningRedis, startRedis } from '../src/services/redis-server.js'
import type { Service } from '../src/services/service.js'
import { type Call, caller } from './services.js'

const LINES = [
  { productId: 'the_odyssey', quantity: 1, priceCents: 9999 },
  { productId: 'the_enigma', quantity: 8, priceCents: 599 },
]

let service: Service | undefined
afterEach(async () => {
  await service?.close()
  service = undefined
})

async function start(cache: OrdersCache, orders: number): Promise<Call> {
  service = createOrdersService({ cache })
  const call = caller(await service.listen())
  for (let i = 0; i < orders; i++) await call('POST', '/orders', { lines: LINES })
  return call
}

describe('the local TTL cache (the seed’s: 500 entries, 600 s)', () => {
  test('answers a read from the cache, holds at most 500 entries per kind, and a new order drops the pages', async () => {
    const call = await start(localCache(), 600)
    for (let id = 1; id <= 600; id++) await call('GET', `/orders/${id}`)
    await call('GET', '/orders?limit=10')
    expect((await call('GET', '/stats')).body).toMatchObject({ cache: 'local', cachedResponses: 501 })
    await call('POST', '/orders', { lines: LINES })
    expect((await call('GET', '/stats')).body.cachedResponses).toBe(500)
    expect((await call('GET', '/orders?after=600')).body.items.map((o: { id: number }) => o.id)).toEqual([
      601,
    ])
  })
})

const redisServer = findRedisServer()
if (!redisServer) console.warn(`orders-cache.test.ts: the Redis tests are skipped: ${NO_REDIS}`)

describe.skipIf(!redisServer)(
  redisServer ? 'the Redis cache' : `the Redis cache: skipped, ${NO_REDIS}`,
  () => {
    let redis: RunningRedis
    beforeAll(async () => {
      redis = await startRedis(redisServer)
    })
    afterAll(() => redis?.stop())

    test('keeps each answer in Redis with the seed’s TTL, and a new order drops the pages', async () => {
      const call = await start(await redisCache(redis.url), 3)
      expect((await call('GET', '/orders/2')).body.id).toBe(2)
      expect((await call('GET', '/orders')).body.items).toHaveLength(3)
      expect((await call('GET', '/stats')).body).toMatchObject({ cache: 'redis', cachedResponses: 2 })
      // Read back from Redis by a client of the test's own: the entries are in the server, with their TTL.
      const { createClient } = await import('@redis/client')
      const client = createClient({ url: redis.url })
      await client.connect()
      try {
        expect(JSON.parse(String(await client.get('order:2'))).id).toBe(2)
        expect(await client.ttl('order:2')).toBeGreaterThan(590)
        await call('POST', '/orders', { lines: LINES })
        expect(await client.exists('orders:pages')).toBe(0)
        expect((await call('GET', '/orders')).body.items).toHaveLength(4)
      } finally {
        await client.flushAll()
        client.destroy()
      }
    })

    test('no Redis at the URL given is a clear error naming it and the way out', async () => {
      await expect(redisCache('redis://127.0.0.1:1')).rejects.toThrow(RedisUnavailableError)
      await expect(redisCache('redis://127.0.0.1:1')).rejects.toThrow(
        /^No Redis at redis:\/\/127\.0\.0\.1:1 \(.+\); start one \(redis-server --port 6379\) or use --cache local$/,
      )
    })

    // The same load on each: 450 pages of 50 orders read once, which both caches keep (the local one's 500
    // entries hold them all). What the reads leave in this process's heap is what its limit has to hold.
    test('the local cache’s entries stay in the service’s heap; with Redis they are outside it', async () => {
      const PAGES = 450
      const leftBy = async (cache: OrdersCache) => {
        const call = await start(cache, PAGES + 50)
        // Compiled code, the client's pool, the cache's own structures: made here, not in the measured body.
        for (let i = 0; i < 20; i++) await call('GET', `/orders?after=${10_000 + i}&limit=50`)
        const { leakedHeap } = await measure(async () => {
          for (let after = 0; after < PAGES; after++) await call('GET', `/orders?after=${after}&limit=50`)
        })
        await service?.close()
        service = undefined
        return leakedHeap
      }
      const local = await leftBy(localCache())
      const inRedis = await leftBy(await redisCache(redis.url))
      // 450 pages of 50 orders are ~4 MB of JSON text: in the heap with the local cache, in Redis with the other.
      expect(local).toBeGreaterThan(3e6)
      expect(inRedis).toBeLessThan(512e3)
      expect(local - inRedis).toBeGreaterThan(3e6)
      console.log(
        `450 cached pages: the local cache left ${(local / 1e6).toFixed(1)} MB in the heap, Redis ${(inRedis / 1e3).toFixed(0)} kB`,
      )
    })
  },
)
