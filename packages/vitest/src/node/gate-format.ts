import { formatSize } from '@memgate/core/size'
import { describeGrowth, formatPercent, percent } from '../runtime/gate.js'
import type { GateReport, GateRow } from './gate-report.js'

/** What an update run did to the file. */
export interface UpdateOutcome {
  written: boolean
  added: number
  changed: number
  removed: number
}

/** The gate's findings for the terminal. */
export function formatGate(report: GateReport, update?: UpdateOutcome): string {
  const lines = [`memgate gate: ${headline(report, update)}`]
  const tolerance = { relative: report.tolerance, floor: report.floor }
  const moves = report.tests
    .filter((row) => row.verdict === 'grew' || row.verdict === 'shrank')
    .map((row) => {
      const moved = row.comparisons
        .filter((c) => c.change === row.verdict)
        .map((c) => describeGrowth(c, tolerance))
      return `  ${row.verdict.padEnd(8)} ${row.id}: ${moved.join('; ')}`
    })
  const added = report.new.map((id) => {
    const row = report.tests.find((candidate) => candidate.id === id)
    return `  new      ${id}${row ? ` (${figures(row.current)})` : ''}`
  })
  lines.push(
    ...capped(moves),
    ...capped(added),
    ...capped(report.removed.map(({ id, reason }) => `  removed  ${id} (${reason})`)),
    ...capped(report.renamed.map(({ from, to }) => `  renamed  ${from}\n        →  ${to}`)),
  )
  if (
    !update &&
    (moves.length > 0 || added.length > 0 || report.renamed.length > 0 || report.removed.length > 0)
  )
    lines.push('  Record the changes: MEMGATE_UPDATE=1 vitest run, then review and commit the baseline.')
  return `${lines.join('\n')}\n`
}

// A first update lists every test as new: the terminal shows the first ones, gate.json has them all.
const MAX_LINES = 30

function capped(lines: string[]): string[] {
  if (lines.length <= MAX_LINES) return lines
  return [...lines.slice(0, MAX_LINES), `  … and ${lines.length - MAX_LINES} more (see gate.json)`]
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

function headline(report: GateReport, update: UpdateOutcome | undefined): string {
  const counts = count(report)
  if (update) {
    if (!update.written)
      return `${report.file} is up to date (${plural(report.tests.length, 'measured test')}, ${counts})`
    return (
      `wrote ${report.file}: ${update.added} added, ${update.changed} updated, ${update.removed} removed ` +
      `(${plural(report.tests.length, 'measured test')})`
    )
  }
  return (
    `${plural(report.tests.length, 'measured test')} against ${report.file} (tolerance ${formatPercent(report.tolerance)}, ` +
    `floor ${formatSize(report.floor)}): ${counts}`
  )
}

/** `1 grew, 2 new, …, 10 within tolerance`. */
export function count(report: GateReport): string {
  const by = (verdict: GateRow['verdict']) => report.tests.filter((row) => row.verdict === verdict).length
  const parts = [
    `${by('grew')} grew`,
    `${by('shrank')} shrank`,
    `${report.new.length} new`,
    `${report.removed.length} removed`,
    `${report.renamed.length} renamed`,
    `${by('same')} within tolerance`,
  ]
  return parts.filter((part, index) => index === parts.length - 1 || !part.startsWith('0 ')).join(', ')
}

function figures(entry: GateRow['current']): string {
  const parts: string[] = []
  if (entry.peak !== undefined) parts.push(`peak ${formatSize(entry.peak)}`)
  if (entry.leaked !== undefined) parts.push(`leaked ${formatSize(entry.leaked)}`)
  return parts.join(', ')
}

const MAX_ROWS = 500
const ICON: Record<GateRow['verdict'], string> = {
  grew: '❌ grew',
  shrank: '⬇️ shrank',
  same: '✅ within',
  new: '🆕 new',
}
const ORDER: GateRow['verdict'][] = ['grew', 'new', 'shrank', 'same']

/** The gate's findings as Markdown, for `$GITHUB_STEP_SUMMARY`. */
export function gateMarkdown(report: GateReport, update?: UpdateOutcome): string {
  // A blank line first: the file may end in another reporter's text.
  const lines = ['', `### memgate: memory against \`${report.file}\``, '', headline(report, update), '']
  const rows = [...report.tests].sort((a, b) => ORDER.indexOf(a.verdict) - ORDER.indexOf(b.verdict))
  if (rows.length > 0) {
    lines.push(
      '| test | peak | baseline | change | leaked | baseline | change | verdict |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    )
    for (const row of rows.slice(0, MAX_ROWS)) {
      const { current, baseline } = row
      lines.push(
        `| ${cell(row.id)} | ${size(current.peak)} | ${size(baseline?.peak)} | ` +
          `${change(baseline?.peak, current.peak)} | ${size(current.leaked)} | ${size(baseline?.leaked)} | ` +
          `${change(baseline?.leaked, current.leaked)} | ${ICON[row.verdict]}${row.state === 'failed' ? ' (failed)' : ''} |`,
      )
    }
    if (rows.length > MAX_ROWS) lines.push('', `… and ${rows.length - MAX_ROWS} more tests (see gate.json).`)
  }
  if (report.removed.length > 0) {
    lines.push('', '**Removed from the baseline:**', '')
    for (const { id, reason } of report.removed) lines.push(`- ${cell(id)} (${reason})`)
  }
  if (report.renamed.length > 0) {
    lines.push('', '**Renamed:**', '')
    for (const { from, to } of report.renamed) lines.push(`- ${cell(from)} → ${cell(to)}`)
  }
  return `${lines.join('\n')}\n\n`
}

/** A GitHub Actions workflow command: `::error file=…,line=…,title=…::message`. */
export function workflowCommand(
  command: 'error' | 'warning' | 'notice',
  properties: Record<string, string>,
  message: string,
): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeCommand(value, true)}`)
    .join(',')
  return `::${command}${props ? ` ${props}` : ''}::${escapeCommand(message, false)}`
}

function escapeCommand(text: string, property: boolean): string {
  const data = text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  return property ? data.replace(/:/g, '%3A').replace(/,/g, '%2C') : data
}

function cell(text: string): string {
  return `\`${text.replace(/\|/g, '\\|').replace(/`/g, "'")}\``
}

function size(bytes: number | undefined): string {
  return bytes === undefined ? '-' : formatSize(bytes)
}

function change(before: number | undefined, after: number | undefined): string {
  return before === undefined || after === undefined ? '-' : percent(before, after)
}
