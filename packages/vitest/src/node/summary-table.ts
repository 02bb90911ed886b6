import { formatSize } from '@memgate/core'
import type { Summary, SummaryEntry } from '@memgate/core/internal'

const HEADER = ['test', 'peak', 'allocated', 'leaked', 'limit', 'verdict', 'top allocating function']
// Columns of sizes are right-aligned.
const RIGHT = new Set([1, 2, 3])
const NAME_WIDTH = 60

/** The summary as a plain-text table for the terminal. */
export function formatSummary(summary: Summary): string {
  const title =
    summary.measured > summary.tests.length
      ? `memgate: the ${summary.tests.length} of ${summary.measured} measured tests with the highest peak`
      : `memgate: ${summary.measured} measured test${summary.measured === 1 ? '' : 's'}, highest peak first`
  if (summary.tests.length === 0) return `${title}\n`
  const rows = [HEADER, ...summary.tests.map(toRow)]
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  const lines = rows.map((row) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0
        return RIGHT.has(column) ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd(),
  )
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '))
  return `${title}\n\n${lines.join('\n')}\n`
}

function toRow(entry: SummaryEntry): string[] {
  const name = `${entry.file} > ${entry.name}`
  return [
    name.length > NAME_WIDTH ? `…${name.slice(-(NAME_WIDTH - 1))}` : name,
    formatSize(entry.peak),
    formatSize(entry.allocated),
    formatSize(entry.leaked),
    limits(entry),
    entry.verdict,
    entry.topSite ? `${entry.topSite.functionName} (${entry.topSite.file}:${entry.topSite.line})` : '',
  ]
}

function limits({ limits }: SummaryEntry): string {
  const parts: string[] = []
  if (limits.peak !== undefined) parts.push(`peak ${formatSize(limits.peak)}`)
  if (limits.leaks !== undefined) parts.push(`leaks ${formatSize(limits.leaks)}`)
  return parts.join(', ') || '-'
}
