import { formatSize } from '@memgate/core'
import { markdownTable } from '@memgate/test-utils/markdown-table'
import type { LoadResults, PhaseResult } from './results.js'

const START = '<!-- load:start -->'
const END = '<!-- load:end -->'

/** One row per phase, the two variants side by side. */
export function renderTable(results: LoadResults): string {
  const header = ['phase', 'served so far']
  for (const variant of ['leaky', 'fixed']) {
    header.push(
      `${variant} p50`,
      `${variant} p99`,
      `${variant} req/s`,
      `${variant} heap after GC`,
      `${variant} sessions held`,
    )
  }
  const rows: string[][] = []
  for (const phase of new Set(results.phases.map((p) => p.phase))) {
    const leaky = results.phases.find((p) => p.phase === phase && p.variant === 'leaky')
    const fixed = results.phases.find((p) => p.phase === phase && p.variant === 'fixed')
    const served = (leaky ?? fixed)?.servedSoFar ?? 0
    rows.push([String(phase), served.toLocaleString('en'), ...cells(leaky), ...cells(fixed)])
  }
  return markdownTable(header, rows)
}

function cells(phase: PhaseResult | undefined): string[] {
  if (!phase) return ['', '', '', '', '']
  const failed = phase.non2xx + phase.errors
  return [
    `${ms(phase.latency.p50)}`,
    `${ms(phase.latency.p99)}`,
    Math.round(phase.requests / phase.seconds).toLocaleString('en') +
      (failed > 0 ? ` (${failed} failed)` : ''),
    formatSize(phase.heapAfterGc),
    phase.sessions.toLocaleString('en'),
  ]
}

// autocannon's percentiles are whole milliseconds; its mean is not.
function ms(value: number): string {
  return `${Number.isInteger(value) || value >= 10 ? Math.round(value) : value.toFixed(1)} ms`
}

/** First and last phase of each variant, for the summary line. */
export function summarize(results: LoadResults): string {
  return (['leaky', 'fixed'] as const)
    .map((variant) => {
      const own = results.phases.filter((p) => p.variant === variant)
      const first = own[0]
      const last = own.at(-1)
      if (!first || !last) return `${variant}: no phases`
      return (
        `${variant}: p50 ${ms(first.latency.p50)} → ${ms(last.latency.p50)}, p99 ${ms(first.latency.p99)} → ` +
        `${ms(last.latency.p99)}, heap after GC ${formatSize(first.heapAfterGc)} → ${formatSize(last.heapAfterGc)}`
      )
    })
    .join('; ')
}

/** The README with the text between the load markers replaced. */
export function replaceSection(readme: string, section: string): string {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${START} … ${END} section to write the load-test results into`)
  }
  return `${readme.slice(0, start + START.length)}\n${section}\n${readme.slice(end)}`
}
