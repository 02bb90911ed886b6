import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { formatSize, parseSize, YOUNG_GENERATION_FLAGS } from '@memgate/core'
import { defineCommand } from 'citty'
import { readCapture } from '../capture.js'
import { CliError } from '../errors.js'
import { SLOW_CAPTURE_BYTES, startProgress } from '../progress.js'
import { exitOf, loaderFlags, type ScriptOptions, splitArgs } from '../script.js'

const SPEC: ScriptOptions = { command: 'run', values: ['output', 'interval'], flags: ['leaks', 'quiet'] }

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
    const { options, script, scriptArgs, path } = splitArgs(rawArgs, SPEC)
    const interval = typeof options.interval === 'string' ? parseSize(options.interval) : undefined
    const capture = resolve(
      typeof options.output === 'string'
        ? options.output
        : `memgate-${basename(path, extname(path))}.${process.pid}.json`,
    )
    const command = ['memgate', 'run', ...rawArgs].join(' ')
    const preload = pathToFileURL(fileURLToPath(new URL('../runtime/preload.js', import.meta.url))).href
    const child = spawn(
      process.execPath,
      [...YOUNG_GENERATION_FLAGS, ...loaderFlags(path), '--import', preload, path, ...scriptArgs],
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
    const exitCode = await exitOf(child)
    if (!existsSync(capture)) {
      throw new CliError(
        'MEMGATE_NO_CAPTURE',
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
