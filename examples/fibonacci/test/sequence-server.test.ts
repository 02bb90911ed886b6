import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import { createCachingSequenceServer } from '../src/servers/caching-sequence.js'
import { createSequenceServer } from '../src/servers/sequence.js'
import { F100 } from './known.js'

let server: Server | undefined
afterEach(() => server?.close())

async function start(create: () => Server): Promise<string> {
  server = create()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

// The streaming server, and the caching variant to compare with it: the same answers either way.
describe.each([
  ['the sequence server', createSequenceServer],
  ['the caching sequence server', createCachingSequenceServer],
])('%s', (_name, create: () => Server) => {
  test('streams the first n numbers, one per line', async () => {
    const url = await start(create)
    const body = await (await fetch(`${url}/sequence?n=101`)).text()
    const lines = body.trim().split('\n')
    expect(lines.slice(0, 8)).toEqual(['0', '1', '1', '2', '3', '5', '8', '13'])
    expect(lines).toHaveLength(101)
    expect(lines.at(-1)).toBe(String(F100))
  })

  test('answers n=0 with an empty body', async () => {
    const url = await start(create)
    const response = await fetch(`${url}/sequence?n=0`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
  })

  test.for([
    ['', 'Missing query parameter n: the number of terms, e.g. /sequence?n=10'],
    ['?n=', 'Missing query parameter n: the number of terms, e.g. /sequence?n=10'],
    ['?n=-3', 'n must not be negative, got -3'],
    ['?n=2.5', 'n must be a whole number, got "2.5"'],
    ['?n=ten', 'n must be a whole number, got "ten"'],
    ['?n=100001', 'n must be at most 100,000, got 100,001'],
  ])('rejects %j with 400: %s', async ([query, error]) => {
    const url = await start(create)
    const response = await fetch(`${url}/sequence${query}`)
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error })
  })

  test('refuses other methods and paths', async () => {
    const url = await start(create)
    expect((await fetch(`${url}/sequence?n=1`, { method: 'DELETE' })).status).toBe(405)
    expect((await fetch(`${url}/other`)).status).toBe(404)
  })

  test('answers a shorter request after a longer one, and a longer after a shorter', async () => {
    const url = await start(create)
    const long = (await (await fetch(`${url}/sequence?n=101`)).text()).split('\n')
    expect((await (await fetch(`${url}/sequence?n=5`)).text()).split('\n')).toEqual([...long.slice(0, 5), ''])
    expect((await (await fetch(`${url}/sequence?n=120`)).text()).split('\n').slice(0, 101)).toEqual(
      long.slice(0, 101),
    )
  })
})
