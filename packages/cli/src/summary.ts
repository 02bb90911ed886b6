import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { SUMMARY_VERSION, type Summary, type SummaryEntry } from '@memgate/core/internal'
import { CliError } from './errors.js'

const HOW_TO =
  'Write it with memgate({ summary: true }) in vitest.config.ts, then run Vitest: the summary lists the ' +
  'measured tests, with summaryTop (default 10) of them'

/** Reads a Vitest run's artifacts folder's summary, with errors that name what is missing and how to get it. */
export function readSummary(dir: string): Summary {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new CliError(
      'MEMGATE_NO_DIR',
      `No artifacts folder ${dir}. Give the folder memgate writes in a Vitest run (its outputDir, default ` +
        '.memgate), or run Vitest with memgate({ summary: true }) to make it.',
    )
  const path = join(dir, 'summary.json')
  if (!existsSync(path)) {
    const nested = nestedSummaries(dir)
    const hint = nested.length > 0 ? ` Found one in: ${nested.join(', ')}.` : ''
    throw new CliError('MEMGATE_NO_SUMMARY', `No summary.json in ${dir}.${hint} ${HOW_TO}.`)
  }
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw new CliError('MEMGATE_BAD_SUMMARY', `${path} is not JSON. ${HOW_TO}, again.`)
  }
  const summary = data as Partial<Summary>
  // Fields added later are kept and ignored; a file from before `version` was recorded is version 1.
  const version = (summary as { version?: unknown } | null)?.version ?? SUMMARY_VERSION
  if (typeof version === 'number' && version !== SUMMARY_VERSION)
    throw new CliError(
      'MEMGATE_SUMMARY_VERSION',
      `${path} is a summary of version ${JSON.stringify(version)}, and this memgate reads version ` +
        `${SUMMARY_VERSION}. @memgate/cli and @memgate/vitest must be the same release: install the same ` +
        'version of both, then run Vitest again.',
    )
  if (
    typeof summary !== 'object' ||
    summary === null ||
    version !== SUMMARY_VERSION ||
    typeof summary.measured !== 'number' ||
    !Array.isArray(summary.tests) ||
    !summary.tests.every(isEntry)
  )
    throw new CliError(
      'MEMGATE_BAD_SUMMARY',
      `${path} is not a memgate summary (expected { measured, top, tests: [{ file, name, peak, … }] }). ${HOW_TO}, again.`,
    )
  return {
    version: SUMMARY_VERSION,
    measured: summary.measured,
    top: summary.top ?? summary.tests.length,
    tests: summary.tests,
  }
}

function isEntry(entry: unknown): entry is SummaryEntry {
  const e = entry as Partial<SummaryEntry> | null
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.file === 'string' &&
    typeof e.name === 'string' &&
    typeof e.peak === 'number' &&
    typeof e.allocated === 'number' &&
    typeof e.leaked === 'number' &&
    typeof e.limits === 'object' &&
    e.limits !== null
  )
}

/** summary.json files one or two folders down, for the error's hint (e.g. a merged run's own folder). */
function nestedSummaries(dir: string): string[] {
  const one = subfolders(dir)
  const found = [...one, ...one.flatMap(subfolders)]
    .map((folder) => join(folder, 'summary.json'))
    .filter((path) => existsSync(path))
  return found.slice(0, 3).map((path) => relative(process.cwd(), path))
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
      .map((entry) => join(dir, entry.name))
  } catch {
    return []
  }
}
