// The caching variant of the sequence service, beside the streaming one: what each holds once a response
// has been sent. The streaming server keeps nothing of it; the caching server keeps every string it made —
// the whole response — for as long as it runs. A later request, from the full cache, needs little memory of
// its own: the cache is what a learner pays for it.
import { once } from 'node:events'
import { get, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { measure } from '@memgate/core'
import { limitMemory } from '@memgate/vitest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createCachingSequenceServer } from '../src/servers/caching-sequence.js'
import { createSequenceServer } from '../src/servers/sequence.js'

const N = 20_000
/** The size of the response for N numbers, in bytes (41.8 MB for 20,000), counted from the numbers. */
const BODY = (() => {
  let bytes = 0
  let [current, following] = [0n, 1n]
  for (let i = 0; i < N; i++) {
    bytes += current.toString().length + 1
    ;[current, following] = [following, current + following]
  }
  return bytes
})()

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

/** Fetches /sequence?n=…, counting bytes and keeping none. */
function fetchCounting(port: number, n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: `/sequence?n=${n}` }, (response) => {
      let bytes = 0
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length
      })
      response.on('end', () => resolve(bytes))
      response.on('error', reject)
    }).on('error', reject)
  })
}

test('after one 20,000-number response the caching server holds it all, the streaming one nothing', async () => {
  const held = async (server: Server) => {
    const port = await listen(server)
    let bytes = 0
    const result = await measure(async () => {
      bytes = await fetchCounting(port, N)
    })
    server.closeAllConnections()
    const kept = result.leaked
    server.close()
    expect(bytes).toBe(BODY)
    return kept
  }
  const streaming = await held(createSequenceServer())
  const caching = createCachingSequenceServer()
  const cached = await held(caching)
  expect(caching.cached).toBe(N)
  // One string per number, one byte per digit: at least the body itself, for good.
  expect(cached).toBeGreaterThan(BODY)
  expect(streaming).toBeLessThan(1e6)
})

describe('a later request to the caching server, from its full cache', () => {
  const server = createCachingSequenceServer()
  let port = 0
  beforeAll(async () => {
    port = await listen(server)
    expect(await fetchCounting(port, N)).toBe(BODY)
  })
  afterAll(() => server.close())

  // The strings exist already: the request only writes them, with backpressure. (The 42 MB cache was
  // there before the body started, so it is not in the peak: memgate measures above that level.)
  test('sends the 41.8 MB response within 8 MB', limitMemory('8 MB'), async () => {
    expect(await fetchCounting(port, N)).toBe(BODY)
    expect(server.cached).toBe(N)
  })
})
