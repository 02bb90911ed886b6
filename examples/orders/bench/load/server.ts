import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startServices } from '../../src/services/launch.js'
import type { VariantName } from '../../src/variant.js'

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url))

export interface Stats {
  sessions: number
  cachedResponses: number
  memory: { heapUsed: number; external: number; rss: number; afterFullGc: boolean }
}

export interface RunningServer {
  url: string
  /** The gateway's own figures; its heap after a full GC (the process runs with --expose-gc). */
  stats(): Promise<Stats>
  stop(): Promise<void>
}

/** Starts a gateway in its own process, with Node's default heap settings, on any free loopback port. */
export async function startServer(variant: VariantName): Promise<RunningServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', MAIN, '--variant', variant, '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`The ${variant} gateway exited with code ${code} before listening`)
    }),
  ])) as [string]
  const url = /listening on (\S+)/.exec(first)?.[1]
  if (!url) throw new Error(`Unexpected first line from the ${variant} gateway: ${first}`)
  return {
    url,
    stats: async () => (await fetch(`${url}/stats?gc=1`)).json() as Promise<Stats>,
    stop: async () => {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    },
  }
}

/**
 * Starts the three services for a gateway, each in its own process with `--expose-gc` (products, orders, and the
 * gateway in front, the one driven); `stats()` are the gateway's.
 */
export async function startThreeServices(variant: VariantName): Promise<RunningServer> {
  const services = await startServices({ variant, nodeArgs: ['--expose-gc'] })
  const url = services.gateway.url
  return {
    url,
    stats: async () => (await fetch(`${url}/stats?gc=1`)).json() as Promise<Stats>,
    stop: async () => {
      await services.stop()
    },
  }
}
