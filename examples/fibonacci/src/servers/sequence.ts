import { once } from 'node:events'
import { createServer, type Server, type ServerResponse } from 'node:http'
import { json } from './respond.js'

export const MAX_TERMS = 100_000

/**
 * `GET /sequence?n=N` streams the first N Fibonacci numbers (0, 1, 1, 2, …), one per line, as they are
 * computed: a number is turned into text only when the client is ready for it (backpressure), so memory
 * stays flat however large the response is and however slow the client. N must be an integer from 0 to
 * 100,000; anything else is a 400 that says what is wrong.
 */
export function createSequenceServer(): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname !== '/sequence') return json(response, 404, { error: `No such path: ${url.pathname}` })
    if (request.method !== 'GET') {
      return json(response, 405, { error: `${request.method} is not allowed; use GET` }, { allow: 'GET' })
    }
    const n = readTerms(url.searchParams.get('n'))
    if (typeof n === 'string') return json(response, 400, { error: n })
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
    streamSequence(response, n).catch((error: unknown) => response.destroy(error as Error))
  })
}

/** The number of terms, or what is wrong with it. */
export function readTerms(raw: string | null): number | string {
  if (raw === null || raw === '') return 'Missing query parameter n: the number of terms, e.g. /sequence?n=10'
  if (!/^-?\d+$/.test(raw.trim())) return `n must be a whole number, got ${JSON.stringify(raw)}`
  const n = Number(raw)
  if (n < 0) return `n must not be negative, got ${n}`
  if (n > MAX_TERMS)
    return `n must be at most ${MAX_TERMS.toLocaleString('en')}, got ${n.toLocaleString('en')}`
  return n
}

async function streamSequence(response: ServerResponse, n: number): Promise<void> {
  let [current, following] = [0n, 1n]
  for (let i = 0; i < n; i++) {
    if (response.destroyed) return
    if (!response.write(`${current}\n`)) await once(response, 'drain')
    ;[current, following] = [following, current + following]
  }
  response.end()
}
