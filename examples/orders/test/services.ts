import { type RunningServices, type ServicesOptions, startServices } from '../src/services/launch.js'
import type { Answer } from './client.js'

export type Call = (method: string, path: string, body?: unknown) => Promise<Answer>

/** Sends one request to `url` and reads its JSON answer. */
export function caller(url: string): Call {
  return async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'content-type': 'application/json' },
            // A string is sent as it is: a test of a body that is not JSON.
            body: typeof body === 'string' ? body : JSON.stringify(body),
          }),
    })
    const text = await response.text()
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
  }
}

/** The three services on loopback, one of them in this process if asked, and a caller of the gateway. */
export async function startThree(
  options: ServicesOptions,
): Promise<{ services: RunningServices; call: Call }> {
  const services = await startServices(options)
  return { services, call: caller(services.gateway.url) }
}
