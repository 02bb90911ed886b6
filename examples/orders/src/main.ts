// Starts the gateway: `pnpm serve [--variant fixed|leaky] [--port 8080] [--host 127.0.0.1] [--database :memory:]`.
// Prints its URL on the first line. Stops cleanly on SIGTERM or SIGINT: open requests finish, then exit 0.
import { parseArgs } from 'node:util'
import { createGateway, UnknownVariantError } from './gateway.js'
import type { VariantName } from './variant.js'

const USAGE =
  'Usage: serve [--variant fixed|leaky] [--port 0-65535] [--host address] [--database file|:memory:]'

function fail(reason: string): never {
  console.error(`${reason}\n${USAGE}`)
  process.exit(2)
}

let values: { variant: string; port: string; host: string; database: string }
try {
  values = parseArgs({
    options: {
      variant: { type: 'string', default: 'fixed' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      database: { type: 'string', default: ':memory:' },
    },
  }).values
} catch (error) {
  fail((error as Error).message)
}
const port = Number(values.port)
if (!/^\d+$/.test(values.port) || port > 65535)
  fail(`--port must be a whole number from 0 to 65535, got "${values.port}"`)

let gateway: ReturnType<typeof createGateway>
try {
  gateway = createGateway({ variant: values.variant as VariantName, database: values.database })
} catch (error) {
  if (error instanceof UnknownVariantError) fail(error.message)
  throw error
}
const url = await gateway.listen(port, values.host)
console.log(`${gateway.variant.name} gateway listening on ${url} (database ${values.database})`)
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    gateway.close().then(() => process.exit(0))
  })
}
