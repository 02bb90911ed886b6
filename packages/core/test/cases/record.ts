import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Measurement } from '../../src/index.js'

/**
 * Where the accuracy tests leave their figures, one file per Node major (the README's table has a column of
 * each); `scripts/accuracy-table.mjs` renders them.
 */
export const RESULTS = fileURLToPath(
  new URL(`../../.results/accuracy-node${process.versions.node.split('.')[0]}.json`, import.meta.url),
)

export interface AccuracyRow {
  case: string
  expectation: string
  truth?: number
  peak: number
  allocated: number
  leaked: number
  forcedGcs: number
  durationMs: number
}

/** The numbers of a measurement, without its profile and timeline (so they can be kept cheaply). */
export function figures(measurement: Measurement) {
  const { peak, allocated, leaked, durationMs } = measurement
  return { peak, allocated, leaked, durationMs, forcedGcs: measurement.gc.forced }
}

/** Adds (or replaces) a case's figures in the results file. */
export function record(
  name: string,
  expectation: string,
  measurement: ReturnType<typeof figures>,
  truth?: number,
): void {
  let rows: AccuracyRow[] = []
  try {
    rows = JSON.parse(readFileSync(RESULTS, 'utf8')) as AccuracyRow[]
  } catch {
    mkdirSync(dirname(RESULTS), { recursive: true })
  }
  const row: AccuracyRow = {
    case: name,
    expectation,
    ...(truth === undefined ? {} : { truth }),
    ...measurement,
  }
  const at = rows.findIndex((existing) => existing.case === name)
  if (at >= 0) rows[at] = row
  else rows.push(row)
  writeFileSync(RESULTS, `${JSON.stringify(rows, null, 2)}\n`)
}
