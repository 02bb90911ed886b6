import { readFileSync } from 'node:fs'
import type { Measurement } from '@memgate/core'
import { CliError } from './errors.js'

/** What `memgate run` writes: one run of a script under the tracker. */
export interface Capture {
  format: 'memgate-capture'
  version: 1
  /** The command as the user would type it again. */
  command: string
  script: string
  args: string[]
  startedAt: string
  exitCode: number | null
  /**
   * What the heap profile sampled: every allocation (the default, and what a capture without the field holds)
   * or, with `memgate run --leaks`, only the objects still held at the end.
   */
  keep?: 'allocated' | 'retained'
  measurement: Measurement
}

/** Reads and checks a capture file, with an error that names the file and says what to do. */
export function readCapture(path: string): Capture {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new CliError(
      'MEMGATE_NO_CAPTURE',
      `Cannot read capture file ${path}: it does not exist or is not readable.`,
    )
  }
  let data: Partial<Capture>
  try {
    data = JSON.parse(text) as Partial<Capture>
  } catch {
    throw new CliError(
      'MEMGATE_BAD_CAPTURE',
      `${path} is not a memgate capture (not JSON). Make one with: memgate run <script>`,
    )
  }
  if (data.format !== 'memgate-capture' || data.version !== 1 || !data.measurement) {
    throw new CliError(
      'MEMGATE_BAD_CAPTURE',
      `${path} is not a memgate capture (version 1). Make one with: memgate run <script>`,
    )
  }
  return data as Capture
}
