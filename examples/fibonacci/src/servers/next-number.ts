import { createServer, type Server } from 'node:http'
import type { FibonacciIterator } from '../iterators/iterator.js'
import { TwoValueFibonacciIterator } from '../iterators/two-value.js'
import { DOCUMENTED_PATHS, docsPage, openApi } from './next-number-docs.js'
import { json } from './respond.js'

/**
 * `GET /` answers the next Fibonacci number — 0, 1, 1, 2, 3, … — one per request, as text. `GET /health`
 * answers `{"status":"ok"}`, `GET /docs` a page describing the API and `GET /openapi.json` the same as an
 * OpenAPI 3.0 document; none of those three advances the sequence. Other paths get 404 and other methods 405 (with `Allow`). Single process: the
 * sequence lives in this server's iterator.
 */
export function createNextNumberServer(
  iterator: FibonacciIterator = new TwoValueFibonacciIterator(),
): Server {
  const docs = docsPage()
  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (!DOCUMENTED_PATHS.includes(path)) return json(response, 404, { error: `No such path: ${path}` })
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return json(
        response,
        405,
        { error: `${request.method} is not allowed; use GET` },
        { allow: 'GET, HEAD' },
      )
    }
    if (path === '/health') return json(response, 200, { status: 'ok' })
    if (path === '/openapi.json') return json(response, 200, openApi)
    if (path === '/docs') {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(docs),
      })
      return response.end(docs)
    }
    const body = `${iterator.next().value}\n`
    response.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    response.end(request.method === 'HEAD' ? undefined : body)
  })
}
