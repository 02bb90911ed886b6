// `pnpm smoke`: the wiring, end to end. Starts each gateway as `pnpm serve` does (its own process, any free
// port), calls every route once in the order a client would, checks each status, then stops the gateway with
// SIGTERM and checks that it exited 0. One line per call; exit code 1 at the first surprise, naming it.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { VARIANTS } from '../src/variant.js'

interface Call {
  method: string
  path: string
  body?: unknown
  status: number
}

/** Every route of the README's table, once: a product's life with one order, and the service's stats. */
const CALLS: readonly Call[] = [
  { method: 'GET', path: '/orders', status: 200 },
  { method: 'POST', path: '/products', body: { id: 'smoke', title: 'Smoke', priceCents: 250 }, status: 201 },
  { method: 'GET', path: '/products/smoke', status: 200 },
  { method: 'GET', path: '/products', status: 200 },
  { method: 'POST', path: '/orders', body: { lines: [{ productId: 'smoke', quantity: 2 }] }, status: 201 },
  { method: 'GET', path: '/orders/1', status: 200 },
  { method: 'DELETE', path: '/products/smoke', status: 204 },
  { method: 'GET', path: '/stats', status: 200 },
]

const root = fileURLToPath(new URL('..', import.meta.url))

class SmokeError extends Error {
  override name = 'SmokeError'
}

async function start(variant: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', '--variant', variant, '--port', '0'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line'),
    once(child, 'exit').then(([code]) => [`exited with code ${code}`]),
  ])) as [string]
  const url = /listening on (\S+)/.exec(line)?.[1]
  if (!url) throw new SmokeError(`the ${variant} gateway did not start: ${line}`)
  return { child, url }
}

async function smoke(variant: string): Promise<void> {
  const { child, url } = await start(variant)
  try {
    console.log(`${variant} gateway on ${url}`)
    for (const call of CALLS) {
      const response = await fetch(`${url}${call.path}`, {
        method: call.method,
        ...(call.body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(call.body) }),
      })
      const text = await response.text()
      const line = `  ${call.method} ${call.path} → ${response.status}`
      if (response.status !== call.status)
        throw new SmokeError(`${line}, expected ${call.status}: ${text.slice(0, 200)}`)
      console.log(line)
    }
  } finally {
    child.kill('SIGTERM')
  }
  const [code] = await once(child, 'exit')
  if (code !== 0)
    throw new SmokeError(`the ${variant} gateway exited with code ${code} on SIGTERM, expected 0`)
  console.log(`  stopped (exit code 0)`)
}

try {
  for (const variant of VARIANTS) await smoke(variant)
  console.log(`smoke: ${VARIANTS.length} gateways, ${CALLS.length} calls each, all as expected`)
} catch (error) {
  if (!(error instanceof SmokeError)) throw error
  console.error(`smoke: ${error.message}`)
  process.exitCode = 1
}
