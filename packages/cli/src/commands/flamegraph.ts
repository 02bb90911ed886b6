import { statSync } from 'node:fs'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { formatSize } from '@memgate/core'
import { defineCommand } from 'citty'
import { type Capture, readCapture } from '../capture.js'
import { CliError } from '../errors.js'
import { writePage } from '../output.js'
import { SLOW_CAPTURE_BYTES, startProgress } from '../progress.js'
import { renderReport } from '../report/render.js'
import { runPageData } from '../report/run-page.js'

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
    retained: {
      type: 'string',
      description:
        'A capture of the same script made with memgate run --leaks: adds its "still held at the end" view',
    },
  },
  run({ args }) {
    if (!args.capture)
      throw new CliError(
        'MEMGATE_NO_CAPTURE',
        'Missing the capture file. Usage: memgate flamegraph <capture> [-o file.html] [--retained <capture>]',
      )
    const input = resolve(args.capture)
    const output = resolve(args.output ?? htmlNameFor(input))
    const leaksInput = args.retained ? resolve(args.retained) : undefined
    if (output === input || output === leaksInput)
      throw new CliError(
        'MEMGATE_OUTPUT',
        `The page would replace the capture ${output}. Choose another path with -o.`,
      )
    const progress = startProgress()
    const size = fileSize(input) + (leaksInput ? fileSize(leaksInput) : 0)
    progress.update(`reading ${input} (${formatSize(size)})…`, size >= SLOW_CAPTURE_BYTES)
    const capture = checked(input, readCapture(input))
    let leaks: Capture | undefined
    if (leaksInput) {
      if (capture.keep === 'retained')
        throw new CliError(
          'MEMGATE_BAD_CAPTURE',
          `${input} was recorded with --leaks. Give the capture of a run without --leaks first, then ` +
            `--retained ${leaksInput}.`,
        )
      leaks = checked(leaksInput, readCapture(leaksInput))
      if (leaks.keep !== 'retained')
        throw new CliError(
          'MEMGATE_BAD_CAPTURE',
          `${leaksInput} was not recorded with --leaks: it samples every allocation, not what was still ` +
            `held at the end. Make one with: memgate run --leaks ${capture.script}`,
        )
    }
    progress.update('rendering the page…')
    const html = renderReport(runPageData(capture, leaks))
    writePage(output, html)
    progress.done()
    console.log(output)
  },
})

function checked(path: string, capture: Capture): Capture {
  if (!capture.measurement.profile?.head || !Array.isArray(capture.measurement.timeline)) {
    throw new CliError(
      'MEMGATE_BAD_CAPTURE',
      `${path} has no heap profile or timeline. Make a new one with: memgate run <script>`,
    )
  }
  return capture
}

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
