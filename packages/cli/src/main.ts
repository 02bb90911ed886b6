#!/usr/bin/env node
import { MemgateError } from '@memgate/core'
import type { CommandDef } from 'citty'
import { loadWithColor, wantsColor } from './color.js'
import { CliError } from './errors.js'
import { exitCodesHelp } from './exit-codes.js'

// citty decides on colours as it loads, by rules of its own: it is loaded once the environment says ours.
const [{ runCommand, showUsage }, { main }] = await loadWithColor(wantsColor(process.stdout), () =>
  Promise.all([import('citty'), import('./index.js')]),
)

// Exit codes (listed in exit-codes.ts, printed by --help): the script's own for `memgate run`; 0 when a
// command succeeded; 1 for an unexpected failure; 2 for a usage error or bad input.
const rawArgs = process.argv.slice(2)
const [first, second] = rawArgs
const commands = (main.subCommands ?? {}) as Record<string, CommandDef>
const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h'

try {
  if (first === undefined || isHelp(first)) {
    await showUsage(main)
    console.log(exitCodesHelp('memgate'))
  } else if (first === '--version' || first === '-v')
    console.log(main.meta && 'version' in main.meta ? main.meta.version : '')
  else if (commands[first] && isHelp(second)) {
    await showUsage(commands[first], main)
    console.log(exitCodesHelp(first))
  } else if (!commands[first])
    throw new CliError('MEMGATE_UNKNOWN_COMMAND', `Unknown command ${first}. See: memgate --help`)
  else await runCommand(main, { rawArgs })
} catch (error) {
  // citty's own argument errors are usage errors too.
  const usage = error instanceof Error && error.name === 'CLIError'
  if (error instanceof CliError || error instanceof MemgateError || usage) {
    process.stderr.write(`memgate: ${error.message}\n`)
    process.exitCode = error instanceof CliError ? error.exitCode : 2
  } else {
    throw error
  }
}
