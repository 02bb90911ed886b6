import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { formatSize } from '@memgate/core'
import { defineCommand } from 'citty'
import { readCapture } from '../capture.js'
import { CliError } from '../errors.js'
import type { ReportCapture } from '../report/data.js'
import { renderReport } from '../report/render.js'

// Captures from this size on take a second or more to read and render (see BENCHMARKS.md): say so first.
const SLOW_CAPTURE_BYTES = 20e6

export const flamegraph = defineCommand({
  meta: {
    name: 'flamegraph',
    description:
      'Render a capture as one self-contained HTML page: memory over time, a flamegraph of allocation ' +
      'stacks and the run’s figures. It works offline; open it in a browser.',
  },
  args: {
    capture: { type: 'positional', description: 'The capture file written by memgate run' },
    output: {
      type: 'string',
      alias: 'o',
      description: 'HTML file to write (default: the capture’s name with .html)',
    },
  },
  run({ args }) {
    if (!args.capture)
      throw new CliError(
        'E_NO_CAPTURE',
        'Missing the capture file. Usage: memgate flamegraph <capture> [-o file.html]',
      )
    const input = resolve(args.capture)
    const output = resolve(args.output ?? htmlNameFor(input))
    if (output === input)
      throw new CliError(
        'E_OUTPUT',
        `The page would replace the capture ${input}. Choose another path with -o.`,
      )
    const size = fileSize(input)
    if (size >= SLOW_CAPTURE_BYTES)
      process.stderr.write(`memgate: rendering ${input} (${formatSize(size)})…\n`)
    const capture = readCapture(input) as ReportCapture
    if (!capture.measurement.profile?.head || !Array.isArray(capture.measurement.timeline)) {
      throw new CliError(
        'E_BAD_CAPTURE',
        `${input} has no heap profile or timeline. Make a new one with: memgate run <script>`,
      )
    }
    const html = renderReport(capture)
    try {
      mkdirSync(dirname(output), { recursive: true })
      writeFileSync(output, html)
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : ''
      throw new CliError('E_WRITE', `Cannot write ${output}${reason}. Choose another path with -o.`)
    }
    console.log(output)
  },
})

/** `run.json` → `run.html`, next to the capture. */
function htmlNameFor(capture: string): string {
  return join(dirname(capture), `${basename(capture, extname(capture))}.html`)
}

function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}
