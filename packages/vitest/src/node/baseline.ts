import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { BaselineError } from '../errors.js'
import type { BaselineEntry } from '../runtime/gate.js'

/** The baseline file: each gated test's figures, by test id, in bytes. */
export interface Baseline {
  version: 1
  tests: Record<string, BaselineEntry>
}

const VERSION = 1
const ABOUT =
  'memgate baseline: peak and leaked bytes of each measured test. Written by MEMGATE_UPDATE=1 vitest run; review it like code.'

/** Reads the baseline at `path`; `undefined` when there is none. `file` names it in errors. */
export function readBaseline(path: string, file: string): Baseline | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new BaselineError(file, (error as Error).message)
  }
  return parseBaseline(text, file)
}

/** Reads the text of a baseline file, checking its shape; throws {@link BaselineError} with the line. */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const position = /at position (\d+)/.exec(message)?.[1]
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/^JSON\.parse: /, '')
    throw new BaselineError(
      file,
      `not valid JSON (${reason})`,
      where(text, position ? Number(position) : text.length),
    )
  }
  if (!isObject(data))
    throw new BaselineError(file, 'expected an object with "version" and "tests"', where(text, 0))
  if (data.version !== VERSION)
    throw new BaselineError(
      file,
      `"version" is ${JSON.stringify(data.version)}, and this memgate reads version ${VERSION}`,
      where(text, keyPosition(text, 'version')),
    )
  if (!isObject(data.tests))
    throw new BaselineError(
      file,
      '"tests" must be an object of test ids',
      where(text, keyPosition(text, 'tests')),
    )
  const tests: Record<string, BaselineEntry> = {}
  for (const [id, value] of Object.entries(data.tests)) {
    const bad = (reason: string) =>
      new BaselineError(file, `test "${id}": ${reason}`, where(text, keyPosition(text, id)))
    if (!isObject(value) || (value.peak === undefined && value.leaked === undefined))
      throw bad('expected { "peak": <bytes>, "leaked": <bytes> } (either or both)')
    for (const key of Object.keys(value))
      if (key !== 'peak' && key !== 'leaked')
        throw bad(`unknown field "${key}" (the fields are peak and leaked)`)
    const entry: BaselineEntry = {}
    for (const figure of ['peak', 'leaked'] as const) {
      const bytes = value[figure]
      if (bytes === undefined) continue
      if (!isBytes(bytes))
        throw bad(`"${figure}" must be a whole number of bytes, got ${JSON.stringify(bytes)}`)
      entry[figure] = bytes
    }
    tests[id] = entry
  }
  return { version: VERSION, tests }
}

/** The file's text: keys in a stable order, one line per test, so a diff shows exactly the tests that moved. */
export function formatBaseline(tests: Record<string, BaselineEntry>): string {
  const ids = Object.keys(tests).sort(byCodePoint)
  const lines = ids.map((id, index) => {
    const { peak, leaked } = tests[id] as BaselineEntry
    const figures = [
      peak === undefined ? '' : `"peak": ${peak}`,
      leaked === undefined ? '' : `"leaked": ${leaked}`,
    ]
      .filter(Boolean)
      .join(', ')
    return `    ${JSON.stringify(id)}: { ${figures} }${index < ids.length - 1 ? ',' : ''}`
  })
  const body = lines.length > 0 ? `{\n${lines.join('\n')}\n  }` : '{}'
  return `{\n  "version": ${VERSION},\n  "about": ${JSON.stringify(ABOUT)},\n  "tests": ${body}\n}\n`
}

/**
 * Writes the baseline atomically: to a temporary file in the same folder, flushed to disk, then renamed over
 * the old one. A crash before the rename leaves the old file as it was.
 */
export function writeBaseline(path: string, tests: Record<string, BaselineEntry>): void {
  mkdirSync(dirname(path), { recursive: true })
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    const fd = openSync(temp, 'w')
    try {
      writeSync(fd, formatBaseline(tests))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function where(text: string, position: number): { line: number; column: number; text: string } {
  const before = text.slice(0, Math.min(position, text.length))
  const line = before.split('\n').length
  const start = before.lastIndexOf('\n') + 1
  const end = text.indexOf('\n', start)
  return { line, column: before.length - start + 1, text: text.slice(start, end === -1 ? undefined : end) }
}

function keyPosition(text: string, key: string): number {
  const index = text.indexOf(`${JSON.stringify(key)}:`)
  return index === -1 ? Math.max(0, text.indexOf(JSON.stringify(key))) : index
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isBytes(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
