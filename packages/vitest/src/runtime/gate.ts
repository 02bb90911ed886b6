import { formatSize } from '@memgate/core/size'

/** A test's gated figures in the baseline file, in bytes: at least one of the two. */
export interface BaselineEntry {
  peak?: number
  leaked?: number
}

/** How far a figure may move from its baseline before the gate fails: the larger of the two. */
export interface Tolerance {
  /** Relative: 0.1 lets a figure grow by 10%. */
  relative: number
  /** Absolute, in bytes: growth up to it always passes, however small the baseline. */
  floor: number
}

/** One figure compared with its baseline. */
export interface Comparison {
  figure: 'peak' | 'leaked'
  before: number
  after: number
  /** `grew`: beyond the tolerance (a gate failure); `shrank`: beyond it the other way; else `same`. */
  change: 'grew' | 'shrank' | 'same'
}

/**
 * A test's id in the baseline: what Vitest prints for it, `|project| file > describe > test` (the project
 * part only when the project has a name), the file relative to the project root with `/` separators.
 */
export function testId(project: string, file: string, fullName: string): string {
  const path = file.replaceAll('\\', '/')
  return `${project ? `|${project}| ` : ''}${path} > ${fullName}`
}

/**
 * The figures a test is gated on: those it has a limit for (its own or the plugin's), as the test's author
 * said which one matters; both when it has none (measured for the summary only). A leak test's peak, say,
 * is incidental, and in tests that churn through memory it moves a lot from run to run (see the README).
 */
export function gatedFigures(result: {
  peak: number
  leaked?: number | undefined
  limits: { peak?: number | undefined; leaks?: number | undefined }
}): BaselineEntry {
  const { peak, leaks } = result.limits
  const both = peak === undefined && leaks === undefined
  const entry: BaselineEntry = {}
  if (both || peak !== undefined) entry.peak = result.peak
  if ((both || leaks !== undefined) && typeof result.leaked === 'number') entry.leaked = result.leaked
  return entry
}

/** The figures of a measurement compared with its baseline entry: those both have. */
export function compare(current: BaselineEntry, baseline: BaselineEntry, tolerance: Tolerance): Comparison[] {
  const comparisons: Comparison[] = []
  if (baseline.peak !== undefined && current.peak !== undefined)
    comparisons.push(compareFigure('peak', baseline.peak, current.peak, tolerance))
  if (baseline.leaked !== undefined && current.leaked !== undefined)
    comparisons.push(compareFigure('leaked', baseline.leaked, current.leaked, tolerance))
  return comparisons
}

function compareFigure(
  figure: Comparison['figure'],
  before: number,
  after: number,
  { relative, floor }: Tolerance,
): Comparison {
  const allowed = Math.max(before * relative, floor)
  const change = after - before > allowed ? 'grew' : before - after > allowed ? 'shrank' : 'same'
  return { figure, before, after, change }
}

/** `peak grew from 12.1 MB to 19.8 MB (+64%, tolerance 10%, floor 1 MB)`. */
export function describeGrowth(comparison: Comparison, tolerance: Tolerance): string {
  const { figure, before, after } = comparison
  const verb = comparison.change === 'shrank' ? 'shrank' : 'grew'
  return (
    `${figure} ${verb} from ${formatSize(before)} to ${formatSize(after)} ` +
    `(${percent(before, after)}, tolerance ${formatPercent(tolerance.relative)}, floor ${formatSize(tolerance.floor)})`
  )
}

/** The relative change, `+64%`; `+∞%` from zero. */
export function percent(before: number, after: number): string {
  if (before === 0) return after === 0 ? '+0%' : '+∞%'
  const change = (after - before) / before
  return `${change >= 0 ? '+' : '-'}${formatPercent(Math.abs(change))}`
}

/** A fraction as a percentage: whole from 10% up, else with one decimal when it has one (`7%`, `2.5%`). */
export function formatPercent(fraction: number): string {
  // Rounded to tenths before the test for a whole number: 0.07 * 100 is 7.000000000000001.
  const tenths = Math.round(fraction * 1000) / 10
  return `${tenths >= 10 || Number.isInteger(tenths) ? Math.round(tenths) : tenths.toFixed(1)}%`
}
