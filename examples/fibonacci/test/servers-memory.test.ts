import { once } from 'node:events'
import { get, type Server } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { limitLeaks, limitMemory } from '@memgate/vitest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { TwoValueFibonacciIterator } from '../src/iterators/two-value.js'
import { createNextNumberServer } from '../src/servers/next-number.js'
import { createSequenceServer } from '../src/servers/sequence.js'

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

/**
 * Sends `count` GET requests over one kept-alive connection, pipelined in batches (an HTTP client per
 * request would cost more than the server), and resolves to the body of the last answer.
 */
async function pipelineGets(port: number, count: number, batch = 500): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  const status = 'HTTP/1.1 200 OK'
  let answered = 0
  let expected = 0
  let carry = ''
  let last = ''
  let wake: (() => void) | undefined
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => {
    const text = carry + chunk
    for (let at = text.indexOf(status); at >= 0; at = text.indexOf(status, at + 1)) answered++
    // Keep what could be the start of a status line cut in two, and the latest bytes for the last body.
    carry = text.slice(-(status.length - 1))
    last = (last + chunk).slice(-4096)
    if (answered >= expected) wake?.()
  })
  for (let sent = 0; sent < count; sent += batch) {
    expected = Math.min(count, sent + batch)
    const answeredAll = new Promise<void>((resolve) => {
      wake = resolve
    })
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'.repeat(expected - sent))
    await answeredAll
  }
  socket.end()
  await once(socket, 'close')
  socket.removeAllListeners()
  expect(answered).toBe(count)
  const body = last.slice(last.lastIndexOf('\r\n\r\n') + 4)
  carry = ''
  last = ''
  return body
}

/**
 * The server's own iterator, started over every `every` numbers: turning 100,000 ever larger numbers into
 * text would take minutes, and the test is about what each request costs the server, not the numbers.
 */
function cycling(every: number): TwoValueFibonacciIterator {
  const iterator = new TwoValueFibonacciIterator()
  const next = iterator.next.bind(iterator)
  let step = 0
  iterator.next = () => {
    if (step++ % every === 0) iterator.reset()
    return next()
  }
  return iterator
}

describe('the next-number server', () => {
  const server = createNextNumberServer(cycling(1000))
  let port = 0
  beforeAll(async () => {
    port = await listen(server)
    // The first requests make one-time allocations (compiled and optimised code, Node's HTTP parser pool,
    // caches): ~300 kB whether 20,000 or 200,000 requests follow. Make them here, so the measured body
    // shows only what requests add one by one.
    await pipelineGets(port, 5_000)
  })
  afterAll(() => server.close())

  // 128 kB over 100,000 requests is under 1.3 bytes a request: a leak of one small object per request
  // fails it. What stays reachable is ~70 kB of Node's and V8's own, the same after 20,000 requests as
  // after 200,000.
  test('does not grow per request over 100,000 requests', limitLeaks('128 KB'), async () => {
    const last = await pipelineGets(port, 100_000)
    // The body's work ends when the server has let go of the connection too.
    while (
      (await new Promise<number>((resolve) => server.getConnections((_, count) => resolve(count)))) > 0
    ) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    // The 100,000th answer is the 1,000th number of the last cycle: F(999) has 209 digits. (Only a number
    // goes to expect(): a string sliced from the socket's chunks would keep them reachable through it.)
    const digits = last.trim().length
    expect(digits).toBe(209)
  })
})

describe('the sequence server', () => {
  const server = createSequenceServer()
  let port = 0
  beforeAll(async () => {
    port = await listen(server)
  })
  afterAll(() => server.close())

  // Slow by nature: 50,000 BigInts become 261 MB of text (~20 s of conversion alone) read by a client that
  // waits after every chunk, so the server's writes block on backpressure all along.
  test('streams 50,000 numbers (261 MB) to a slow client in flat memory', {
    ...limitMemory('16 MB'),
    timeout: 300_000,
  }, async () => {
    const received = await new Promise<number>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/sequence?n=50000' }, (response) => {
        let bytes = 0
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length
          // A slow client: it reads a chunk, then waits a millisecond before the next.
          response.pause()
          setTimeout(() => response.resume(), 1)
        })
        response.on('end', () => resolve(bytes))
      }).on('error', reject)
    })
    expect(received).toBe(261_286_853)
  })
})
