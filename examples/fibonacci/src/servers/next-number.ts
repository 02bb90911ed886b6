import { createServer, type Server } from 'node:http'
import type { FibonacciIterator } from '../iterators/iterator.js'
import { TwoValueFibonacciIterator } from '../iterators/two-value.js'
import { json } from './respond.js'

/**
 * `GET /` answers the next Fibonacci number — 0, 1, 1, 2, 3, … — one per request, as text. `GET /health`
 * answers `{"status":"ok"}`. Other paths get 404 and other methods 405 (with `Allow`). Single process: the
 * sequence lives in this server's iterator.
 */
export function createNextNumberServer(
  iterator: FibonacciIterator = new TwoValueFibonacciIterator(),
): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (path !== '/' && path !== '/health') return json(response, 404, { error: `No such path: ${path}` })
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return json(
        response,
        405,
        { error: `${request.method} is not allowed; use GET` },
        { allow: 'GET, HEAD' },
      )
    }
    if (path === '/health') return json(response, 200, { status: 'ok' })
    const body = `${iterator.next().value}\n`
    response.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    response.end(request.method === 'HEAD' ? undefined : body)
  })
}
