import { readFileSync } from 'node:fs'
import { defineCommand } from 'citty'
import { flamegraph } from './commands/flamegraph.js'
import { leaks } from './commands/leaks.js'
import { report } from './commands/report.js'
import { run } from './commands/run.js'

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string
}

/** The `memgate` command. */
export const main = defineCommand({
  meta: {
    name: 'memgate',
    version,
    description: 'Memory-limit assertions for Vitest, and tools to see where memory goes.',
  },
  subCommands: { run, leaks, flamegraph, report },
})

export type { Capture } from './capture.js'
export { readCapture } from './capture.js'
export { CliError, type CliErrorCode } from './errors.js'
