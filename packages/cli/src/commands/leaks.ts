import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, extname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { formatSize, type LeakDiagnosis } from '@memgate/core'
import { leakGroupLines } from '@memgate/core/internal'
import { defineCommand } from 'citty'
import { CliError } from '../errors.js'
import { readLeakReport } from '../leak-report.js'
import { exitOf, loaderFlags, type ScriptOptions, splitArgs } from '../script.js'

const SPEC: ScriptOptions = { command: 'leaks', values: ['output'], flags: ['quiet'] }

export const leaks = defineCommand({
  meta: {
    name: 'leaks',
    description:
      'Run a JavaScript or TypeScript script and diagnose what it leaves reachable at its end that was not ' +
      'before it ran: the kinds of objects, largest first, and who holds each (a path from a GC root). ' +
      'Writes a .heapsnapshot of the end state. The script’s output and exit code are passed through; ' +
      'arguments after the script go to it.',
  },
  args: {
    script: { type: 'positional', description: 'The script to run (.js, .mjs, .cjs, .ts, .mts, .cts)' },
    output: {
      type: 'string',
      alias: 'o',
      description: 'Heap snapshot to write (default: memgate-<script>.<pid>.heapsnapshot)',
    },
    quiet: { type: 'boolean', alias: 'q', description: 'Print nothing but the script’s own output' },
  },
  async run({ rawArgs }) {
    const { options, script, scriptArgs, path } = splitArgs(rawArgs, SPEC)
    const snapshot = resolve(
      typeof options.output === 'string'
        ? options.output
        : `memgate-${basename(path, extname(path))}.${process.pid}.heapsnapshot`,
    )
    if (!snapshot.endsWith('.heapsnapshot'))
      throw new CliError(
        'MEMGATE_OUTPUT',
        `The snapshot ${snapshot} must be a .heapsnapshot file (what Chrome DevTools loads). Choose another path with -o.`,
      )
    const scratch = mkdtempSync(join(tmpdir(), 'memgate-leaks-'))
    const reportPath = join(scratch, 'report.json')
    const preload = pathToFileURL(fileURLToPath(new URL('../runtime/leaks-preload.js', import.meta.url))).href
    let exitCode: number
    let report: ReturnType<typeof readLeakReport>
    try {
      const child = spawn(
        process.execPath,
        [...loaderFlags(path), '--import', preload, path, ...scriptArgs],
        {
          stdio: 'inherit',
          env: {
            ...process.env,
            MEMGATE_LEAKS: JSON.stringify({
              report: reportPath,
              snapshot,
              script,
              args: scriptArgs,
            }),
          },
        },
      )
      exitCode = await exitOf(child)
      report = readLeakReport(reportPath)
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
    if (!report)
      throw new CliError(
        'MEMGATE_NO_DIAGNOSIS',
        `The script ended without a diagnosis (exit code ${exitCode}): it was killed before its exit handlers ran.`,
        exitCode || 1,
      )
    if (!report.diagnosis)
      throw new CliError(
        'MEMGATE_NO_DIAGNOSIS',
        `memgate could not diagnose the script: ${report.error}`,
        exitCode || 1,
      )
    if (!options.quiet) process.stderr.write(describe(script, report.diagnosis))
    process.exitCode = exitCode
  },
})

/** What a person reads after the script's own output. */
function describe(script: string, diagnosis: LeakDiagnosis): string {
  const took =
    diagnosis.durationMs < 1000
      ? `${Math.round(diagnosis.durationMs)} ms`
      : `${(diagnosis.durationMs / 1000).toFixed(1)} s`
  const lines = [
    '',
    `memgate: ${script} left ${formatSize(diagnosis.bytes)} in ${diagnosis.count.toLocaleString('en-US')} objects ` +
      `reachable at its end that were not before it ran (own size plus new backing stores; diagnosed in ${took}), ` +
      'by kind, largest first:',
    ...leakGroupLines(diagnosis),
  ]
  if (!diagnosis.sitesTracked)
    lines.push(
      'memgate: allocation sites are not tracked here (V8’s tracking would keep the script from ending); ' +
        'a Vitest test with limitLeaks() names the site of each kind.',
    )
  if (diagnosis.snapshotPath)
    lines.push(
      `memgate: heap snapshot of the end state (Chrome DevTools → Memory → Load): ${relative(process.cwd(), diagnosis.snapshotPath)}`,
    )
  return `${lines.join('\n')}\n`
}
