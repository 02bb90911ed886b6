import { once } from 'node:events'
import { createServer, type Server, type ServerResponse } from 'node:http'
import { json } from './respond.js'
import { readTerms } from './sequence.js'

/** The caching sequence server, with the size of its cache. */
export interface CachingSequenceServer extends Server {
  /** Numbers held as text, ready for the next request. */
  readonly cached: number
}

/**
 * The sequence service the tempting way, to compare with the streaming one (`createSequenceServer`): on
 * `GET /sequence?n=N` it first makes sure its cache holds the first N numbers as text — computing and
 * converting the missing ones, all before the first byte — then writes them from the cache. A later request
 * for up to N numbers skips the conversion; the cache is never let go, and holds the whole response: about
 * 1 GB for N = 100,000. The same paths, methods and 400s as the streaming server.
 */
export function createCachingSequenceServer(): CachingSequenceServer {
  const cache: string[] = []
  let [current, following] = [0n, 1n]
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname !== '/sequence') return json(response, 404, { error: `No such path: ${url.pathname}` })
    if (request.method !== 'GET') {
      return json(response, 405, { error: `${request.method} is not allowed; use GET` }, { allow: 'GET' })
    }
    const n = readTerms(url.searchParams.get('n'))
    if (typeof n === 'string') return json(response, 400, { error: n })
    while (cache.length < n) {
      cache.push(`${current}\n`)
      ;[current, following] = [following, current + following]
    }
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
    writeFromCache(response, cache, n).catch((error: unknown) => response.destroy(error as Error))
  })
  return Object.defineProperty(server, 'cached', { get: () => cache.length }) as CachingSequenceServer
}

async function writeFromCache(response: ServerResponse, cache: readonly string[], n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    if (response.destroyed) return
    if (!response.write(cache[i] ?? '')) await once(response, 'drain')
  }
  response.end()
}
