import { readFileSync } from 'node:fs'
import type { LeakDiagnosis } from '@memgate/core'

/** What the process `memgate leaks` runs hands back: the diagnosis of what the script left, or why none. */
export interface LeakReport {
  format: 'memgate-leaks'
  version: 1
  script: string
  args: string[]
  /** The script's exit code, as its `exit` event saw it. */
  exitCode: number
  diagnosis?: LeakDiagnosis
  error?: string
}

/** Reads the report a script's process wrote; undefined if it wrote none (it was killed, or crashed in V8). */
export function readLeakReport(path: string): LeakReport | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LeakReport
  } catch {
    return undefined
  }
}
