import { createGateway, type Gateway, type GatewayOptions } from '../src/gateway.js'

export interface Answer {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: the tests read whatever JSON the gateway answered
  body: any
}

/** A gateway on loopback, any free port, and a function that sends it one request. */
export async function startGateway(
  options: GatewayOptions,
): Promise<{ gateway: Gateway; call: (method: string, path: string, body?: unknown) => Promise<Answer> }> {
  const gateway = createGateway(options)
  const url = await gateway.listen()
  return {
    gateway,
    call: async (method, path, body) => {
      const response = await fetch(`${url}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : {
              headers: { 'content-type': 'application/json' },
              body: typeof body === 'string' ? body : JSON.stringify(body),
            }),
      })
      const text = await response.text()
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
    },
  }
}
