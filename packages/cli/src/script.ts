import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { CliError } from './errors.js'

/** The options a command that runs a script takes before it: names of those with a value, and flags. */
export interface ScriptOptions {
  command: string
  values: string[]
  flags: string[]
}

/** One-letter forms, the same for every command. */
const SHORT: Record<string, string> = { o: 'output', q: 'quiet' }
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx'])

/**
 * Options before the script are memgate's; the script and everything after it are the script's.
 * Throws a usage error naming the option or the missing script.
 */
export function splitArgs(rawArgs: string[], spec: ScriptOptions) {
  const options: Record<string, string | boolean> = {}
  const help = `See: memgate ${spec.command} --help`
  let i = 0
  for (; i < rawArgs.length; i++) {
    const arg = rawArgs[i] ?? ''
    if (arg === '--') {
      i++
      break
    }
    if (!arg.startsWith('-')) break
    const [flag = '', inline] = arg.replace(/^--?/, '').split(/=(.*)/s)
    const name = SHORT[flag] ?? flag
    if (spec.flags.includes(name)) options[name] = true
    else if (spec.values.includes(name)) {
      const value = inline ?? rawArgs[++i]
      if (value === undefined) throw new CliError('MEMGATE_MISSING_VALUE', `Option ${arg} needs a value.`)
      options[name] = value
    } else
      throw new CliError(
        'MEMGATE_UNKNOWN_OPTION',
        `Unknown option ${arg} for memgate ${spec.command}. ${help}`,
      )
  }
  const script = rawArgs[i]
  if (script === undefined)
    throw new CliError(
      'MEMGATE_NO_SCRIPT',
      `Missing the script to run. Usage: memgate ${spec.command} [options] <script> [args…]`,
    )
  const path = resolve(script)
  if (!existsSync(path))
    throw new CliError('MEMGATE_NO_SCRIPT', `No such script: ${script}. Give the path of a .js or .ts file.`)
  return { options, script, path, scriptArgs: rawArgs.slice(i + 1) }
}

/** The `--import` of tsx's loader for a TypeScript script, which makes Node run it as it is. */
export function loaderFlags(path: string): string[] {
  return TYPESCRIPT.has(extname(path)) ? ['--import', import.meta.resolve('tsx')] : []
}

/** The exit code of a script's process: its own, 128 if a signal ended it. */
export function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((done) => {
    child.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1)))
  })
}
