import type { ServerResponse } from 'node:http'

/** Ends a response with a small JSON body. */
export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  response.end(`${JSON.stringify(body)}\n`)
}
