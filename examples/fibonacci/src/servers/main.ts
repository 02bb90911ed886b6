// Starts a server: `pnpm serve next-number [--port 8080]`, `pnpm serve sequence [--port 8080]`, or the
// caching variant of the sequence service to compare with it, `pnpm serve caching-sequence`.
// Stops cleanly on SIGTERM or SIGINT: no new connections, open ones finish, then exit 0.
import type { Server } from 'node:http'
import { parseArgs } from 'node:util'
import { createCachingSequenceServer } from './caching-sequence.js'
import { createNextNumberServer } from './next-number.js'
import { createSequenceServer } from './sequence.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } },
})
const kind = positionals[0] ?? 'next-number'
const servers: Record<string, () => Server> = {
  'next-number': createNextNumberServer,
  sequence: createSequenceServer,
  'caching-sequence': createCachingSequenceServer,
}
const create = servers[kind]
const port = Number(values.port)
if (!create || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `Usage: serve [next-number|sequence|caching-sequence] [--port 0-65535] [--host address]; got ${kind} --port ${values.port}`,
  )
  process.exit(2)
}
const server = create()
server.listen(port, values.host, () => {
  const address = server.address()
  console.log(
    `${kind} server listening on http://${values.host}:${typeof address === 'object' ? address?.port : port}/`,
  )
})
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0))
    server.closeIdleConnections()
  })
}
