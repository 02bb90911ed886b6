// What tells the variants apart, on the fixed side (the leaky side's twins, which describe the exercise as
// shipped, are in test/unsolved/leaky-variant.test.ts: leaky-fails.test.ts runs them on its frozen copy).
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, test } from 'vitest'
import { createGateway, type Gateway, UnknownVariantError } from '../src/gateway.js'
import type { VariantName } from '../src/variant.js'
import { startGateway } from './client.js'
import { browse } from './workload.js'

let gateway: Gateway | undefined
afterEach(() => gateway?.close())

async function start(variant: VariantName, cache = {}) {
  const started = await startGateway({ variant, cache })
  gateway = started.gateway
  return started.call
}

describe('sessions', () => {
  test('the fixed gateway closes each request’s session when its response is sent', async () => {
    const call = await start('fixed')
    await browse(call, 20)
    expect((await call('GET', '/stats')).body.sessions).toBe(0)
  })
})

describe('caches', () => {
  test('the fixed gateway’s caches stay within their entry bound', async () => {
    const call = await start('fixed', { max: 5 })
    await browse(call, 30)
    // Items (orders and products) and each list's pages: at most 5 entries each.
    expect((await call('GET', '/stats')).body.cachedResponses).toBeLessThanOrEqual(15)
  })

  test('a fixed gateway’s cached answer is served until its TTL, then read again', async () => {
    const call = await start('fixed', { ttlMs: 200 })
    await call('POST', '/products', { id: 'a', title: 'Old title', priceCents: 1 })
    expect((await call('GET', '/products/a')).body.title).toBe('Old title')
    // Changed behind the gateway's back (another writer on the same database file, say): no invalidation.
    gateway?.db.run("UPDATE products SET document = json_set(document, '$.title', 'New title')")
    expect((await call('GET', '/products/a')).body.title).toBe('Old title')
    await sleep(300)
    expect((await call('GET', '/products/a')).body.title).toBe('New title')
  })
})

test('an unknown variant is refused at once, naming the ones there are', () => {
  expect(() => createGateway({ variant: 'fast' as VariantName })).toThrow(new UnknownVariantError('fast'))
  expect(() => createGateway({ variant: 'fast' as VariantName })).toThrow(
    'Unknown gateway variant "fast"; use one of: leaky, fixed',
  )
})

test('/stats reports the variant, sessions, cache and the process’s memory', async () => {
  const call = await start('fixed')
  const { status, body } = await call('GET', '/stats')
  expect(status).toBe(200)
  expect(body).toMatchObject({ variant: 'fixed', sessions: 0, cachedResponses: 0 })
  expect(body.memory.heapUsed).toBeGreaterThan(1e6)
  // A full GC runs first only where the process exposes gc() (the load test starts it with --expose-gc).
  expect((await call('GET', '/stats?gc=1')).body.memory.afterFullGc).toBe(typeof globalThis.gc === 'function')
})
