import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { formatSize, parseSize, YOUNG_GENERATION_FLAGS } from '@memgate/core'
import { defineCommand } from 'citty'
import { readCapture } from '../capture.js'
import { CliError } from '../errors.js'
import { SLOW_CAPTURE_BYTES, startProgress } from '../progress.js'

const OPTIONS = new Set(['output', 'o', 'interval', 'leaks', 'quiet', 'q'])
const FLAGS = new Set(['leaks', 'quiet'])
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx'])

export const run = defineCommand({
  meta: {
    name: 'run',
    description:
      'Run a JavaScript or TypeScript script under the memory tracker and write a capture file. ' +
      "The script's output and exit code are passed through; arguments after the script go to it.",
  },
  args: {
    script: { type: 'positional', description: 'The script to run (.js, .mjs, .cjs, .ts, .mts, .cts)' },
    output: {
      type: 'string',
      alias: 'o',
      description: 'Capture file to write (default: memgate-<script>.<pid>.json)',
    },
    interval: {
      type: 'string',
      description: 'Bytes between allocation samples, e.g. "32 KiB" (default 32 KiB)',
    },
    leaks: {
      type: 'boolean',
      description:
        'Sample only what is still held at the end (the "still held" view) instead of every allocation: ' +
        'V8 runs one sampling heap profiler per process, so a run records one or the other',
    },
    quiet: { type: 'boolean', alias: 'q', description: 'Print nothing but the script’s own output' },
  },
  async run({ rawArgs }) {
    const { options, script, scriptArgs } = splitArgs(rawArgs)
    const path = resolve(script)
    if (!existsSync(path))
      throw new CliError('E_NO_SCRIPT', `No such script: ${script}. Give the path of a .js or .ts file.`)
    const interval = typeof options.interval === 'string' ? parseSize(options.interval) : undefined
    const capture = resolve(
      typeof options.output === 'string'
        ? options.output
        : `memgate-${basename(path, extname(path))}.${process.pid}.json`,
    )
    const command = ['memgate', 'run', ...rawArgs].join(' ')
    const preload = pathToFileURL(fileURLToPath(new URL('../runtime/preload.js', import.meta.url))).href
    const loaders = TYPESCRIPT.has(extname(path)) ? ['--import', tsxLoader()] : []
    const child = spawn(
      process.execPath,
      [...YOUNG_GENERATION_FLAGS, ...loaders, '--import', preload, path, ...scriptArgs],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          MEMGATE_RUN: JSON.stringify({
            capture,
            command,
            script,
            args: scriptArgs,
            interval,
            keep: options.leaks ? 'retained' : 'allocated',
          }),
        },
      },
    )
    const exitCode = await new Promise<number>((done) => {
      child.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1)))
    })
    if (!existsSync(capture)) {
      throw new CliError(
        'E_NO_CAPTURE',
        `The script ended without a capture (exit code ${exitCode}).`,
        exitCode || 1,
      )
    }
    if (!options.quiet) {
      const progress = startProgress()
      const size = statSync(capture).size
      progress.update(`reading ${capture} (${formatSize(size)})…`, size >= SLOW_CAPTURE_BYTES)
      const { measurement } = readCapture(capture)
      progress.done()
      const sampled = options.leaks
        ? 'memgate: its heap profile holds what was still held at the end (add it to the page of a run ' +
          'without --leaks with: memgate flamegraph <that capture> --retained <this one>)\n'
        : ''
      process.stderr.write(
        `\nmemgate: peak ${formatSize(measurement.peak)} (JS heap ${formatSize(measurement.peakHeap)}, ` +
          `external ${formatSize(measurement.peakExternal)}), allocated ${formatSize(measurement.allocated)}, ` +
          `left reachable ${formatSize(measurement.leaked)}\n` +
          `${sampled}memgate: wrote ${capture}\nmemgate: render it with: memgate flamegraph ${capture}\n`,
      )
    }
    process.exitCode = exitCode
  },
})

/** Options before the script are memgate's; the script and everything after it are the script's. */
function splitArgs(rawArgs: string[]) {
  const options: Record<string, string | boolean> = {}
  let i = 0
  for (; i < rawArgs.length; i++) {
    const arg = rawArgs[i] ?? ''
    if (arg === '--') {
      i++
      break
    }
    if (!arg.startsWith('-')) break
    const [flag = '', inline] = arg.replace(/^--?/, '').split(/=(.*)/s)
    if (!OPTIONS.has(flag))
      throw new CliError('E_UNKNOWN_OPTION', `Unknown option ${arg} for memgate run. See: memgate run --help`)
    const name = flag === 'o' ? 'output' : flag === 'q' ? 'quiet' : flag
    if (FLAGS.has(name)) options[name] = true
    else {
      const value = inline ?? rawArgs[++i]
      if (value === undefined) throw new CliError('E_MISSING_VALUE', `Option ${arg} needs a value.`)
      options[name] = value
    }
  }
  const script = rawArgs[i]
  if (script === undefined)
    throw new CliError(
      'E_NO_SCRIPT',
      'Missing the script to run. Usage: memgate run [options] <script> [args…]',
    )
  return { options, script, scriptArgs: rawArgs.slice(i + 1) }
}

/** tsx's loader, which makes Node run TypeScript (ESM and CommonJS) as it is. */
function tsxLoader(): string {
  return import.meta.resolve('tsx')
}
