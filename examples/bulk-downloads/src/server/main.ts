// Starts the media server on its own: `pnpm serve [--port 8737] [--mp4-size "3 MB"] [--png-size "300 kB"]
// [--fault <path>=<fault>,…]…`. Prints its URL on the first line of stdout (the tests and the figures
// script read it from there) and serves until stopped.
import { parseArgs } from 'node:util'
import { parseSize } from '@memgate/core'
import { DEFAULT_SIZES } from '../media/generate.js'
import { parseFaultSpec } from './faults.js'
import { startMediaServer } from './media-server.js'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'mp4-size': { type: 'string' },
    'png-size': { type: 'string' },
    fault: { type: 'string', multiple: true, default: [] },
  },
})
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number from 0 to 65535, got ${JSON.stringify(values.port)}`)
  process.exit(2)
}
/** A size in bytes, or with a unit ("3 MB"). */
const size = (value: string | undefined, fallback: number) =>
  value === undefined ? fallback : /^\d+$/.test(value) ? Number(value) : parseSize(value)
let sizes: { mp4: number; png: number }
let faults: ReturnType<typeof parseFaultSpec>[]
try {
  sizes = {
    mp4: size(values['mp4-size'], DEFAULT_SIZES.mp4),
    png: size(values['png-size'], DEFAULT_SIZES.png),
  }
  faults = values.fault.map(parseFaultSpec)
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}
const server = await startMediaServer({ port, sizes, log: false })
for (const { path, faults: queue } of faults) server.faults.add(path, queue)
console.log(server.url)
process.on('SIGTERM', () => server.close().then(() => process.exit(0)))
