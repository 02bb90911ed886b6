import type { SummaryEntry } from '@memgate/core/internal'
import { formatSize } from '@memgate/core/size'
import type { MemgateSummary, TimedOutEntry } from './summary.js'

const HEADER = ['test', 'peak', 'allocated', 'leaked', 'limit', 'verdict', 'top allocating function']
// Columns of sizes are right-aligned.
const RIGHT = new Set([1, 2, 3])
const NAME_WIDTH = 60
/** Lines of a test's name after its first are indented by this, so that a row's start stands out. */
const CONTINUED = '  '

/** The summary as a plain-text table for the terminal. */
export function formatSummary(summary: MemgateSummary): string {
  const measured =
    summary.measured > summary.tests.length
      ? `memgate: the ${summary.tests.length} of ${summary.measured} measured tests with the highest peak`
      : `memgate: ${summary.measured} measured test${summary.measured === 1 ? '' : 's'}, highest peak first`
  const { timedOut } = summary
  const title =
    timedOut.length > 0
      ? `${measured}; ${timedOut.length} timed out, listed last without figures (the timeout interrupted ${timedOut.length === 1 ? 'its body' : 'their bodies'})`
      : measured
  if (summary.tests.length === 0 && timedOut.length === 0) return `${title}\n`
  const rows = [...summary.tests.map(toRow), ...timedOut.map(timedOutRow)]
  const widths = HEADER.map((title, column) =>
    Math.max(
      title.length,
      ...rows
        .flatMap((row) => (column === 0 ? row.name : [row.figures[column - 1] ?? '']))
        .map((cell) => cell.length),
    ),
  )
  const line = (row: string[]) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0
        return RIGHT.has(column) ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  const lines = [line(HEADER), widths.map((width) => '-'.repeat(width)).join('  ')]
  for (const { name, figures } of rows) {
    const [first = '', ...more] = name
    lines.push(line([first, ...figures]), ...more)
  }
  return `${title}\n\n${lines.join('\n')}\n`
}

/**
 * A row: the test's file and full name, wrapped over as many lines as it needs (cut, two names sharing a
 * beginning or an end would read the same), and its figures.
 */
function toRow(entry: SummaryEntry): { name: string[]; figures: string[] } {
  return {
    name: wrap(`${entry.file} > ${entry.name}`, NAME_WIDTH),
    figures: [
      formatSize(entry.peak),
      formatSize(entry.allocated),
      formatSize(entry.leaked),
      limits(entry),
      entry.verdict,
      entry.topSite ? `${entry.topSite.functionName} (${entry.topSite.file}:${entry.topSite.line})` : '',
    ],
  }
}

/** A test that timed out: no figures, its body having been interrupted. */
function timedOutRow(entry: TimedOutEntry): { name: string[]; figures: string[] } {
  return {
    name: wrap(`${entry.file} > ${entry.name}`, NAME_WIDTH),
    figures: ['-', '-', '-', limits(entry), entry.verdict, 'body interrupted: not measured'],
  }
}

/** `text` in lines of at most `width` characters, broken at spaces (and inside a word longer than a line). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  const room = () => width - (lines.length > 0 ? CONTINUED.length : 0)
  let current = ''
  for (const word of text.split(' ')) {
    if (current === '') current = word
    else if (current.length + 1 + word.length <= room()) current += ` ${word}`
    else {
      lines.push(current)
      current = word
    }
    while (current.length > room()) {
      const cut = room()
      lines.push(current.slice(0, cut))
      current = current.slice(cut)
    }
  }
  lines.push(current)
  return lines.map((line, index) => (index > 0 ? `${CONTINUED}${line}` : line))
}

function limits({ limits }: Pick<SummaryEntry, 'limits'>): string {
  const parts: string[] = []
  if (limits.peak !== undefined) parts.push(`peak ${formatSize(limits.peak)}`)
  if (limits.leaks !== undefined) parts.push(`leaks ${formatSize(limits.leaks)}`)
  return parts.join(', ') || '-'
}
