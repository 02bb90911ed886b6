import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { accessSync, constants } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { createInterface } from 'node:readline'

/** Where `redis-server` is on the PATH, or undefined: the Redis variant is then skipped, and says so. */
export function findRedisServer(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'redis-server')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return undefined
}

/** The sentence a test or script prints when it skips the Redis variant. */
export const NO_REDIS = 'redis-server is not on the PATH (Debian: apt-get install redis-server)'

export interface RunningRedis {
  url: string
  process: ChildProcess
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('No free port on loopback')
  return address.port
}

/**
 * A Redis server of our own on a free loopback port, in memory only (no RDB snapshot, no append-only file),
 * ready when this resolves. `stop()` ends it.
 */
export async function startRedis(path = findRedisServer()): Promise<RunningRedis> {
  if (!path) throw new Error(NO_REDIS)
  const port = await freePort()
  const child = spawn(
    path,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.includes('Ready to accept connections')) resolve()
    })
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited with code ${code} before it was ready`)),
    )
  })
  await ready
  return {
    url: `redis://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    },
  }
}
