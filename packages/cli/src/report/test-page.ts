import { formatSize, type HeapProfile, type TimelinePoint } from '@memgate/core'
import type { SummaryEntry } from '@memgate/core/internal'
import { toTable } from './data.js'
import { toRows } from './run-page.js'
import type { ReportData } from './types.js'

/** What a test's heap profile sampled; `unknown` for a test not in summary.json. */
export type ProfileKind = 'allocated' | 'retained' | 'unknown'

const ABSENT_RETAINED =
  'This test has a peak limit, so memgate sampled every allocation of its body: what was still held at ' +
  'its end is not in this profile. A test with only limitLeaks() samples that instead.'
const ABSENT_ALLOCATED =
  'This test has only a leak limit, so memgate sampled only what its body still held at its end ' +
  '(V8 runs one sampling heap profiler at a time).'

/**
 * Which view a test's profile belongs to, as summary.json records it. (A summary written before it was
 * recorded: @memgate/vitest samples only what is still held when the test has a leak limit and no peak
 * limit, every allocation otherwise, and summary.json holds the limits the test was held to.)
 */
export function profileKind(entry: SummaryEntry | undefined): ProfileKind {
  if (!entry) return 'unknown'
  if (entry.profileKeeps) return entry.profileKeeps
  return entry.limits.peak === undefined && entry.limits.leaks !== undefined ? 'retained' : 'allocated'
}

/**
 * A page for one test's heap profile, with the test body's memory over time when its timeline was written
 * next to the profile (the peak limit drawn across it); without one, no chart.
 */
export function testPageData(
  test: { file: string; name: string; entry?: SummaryEntry },
  profile: HeapProfile,
  links: { profile: string; back: string },
  timeline: readonly TimelinePoint[] = [],
): ReportData {
  const { entry } = test
  const kind = profileKind(entry)
  const facts: [string, string][] = [
    ['Test', test.name],
    ['File', test.file],
  ]
  if (entry) {
    facts.push(
      ['State', entry.state],
      ['Verdict', entry.verdict],
      ['Limit', limitText(entry.limits)],
      ['Peak', formatSize(entry.peak)],
      ['Allocated', formatSize(entry.allocated)],
      ['Leaked', `${formatSize(entry.leaked)} still reachable after the test body`],
    )
    if (entry.topSite) facts.push(['Top allocating function', siteText(entry.topSite)])
  }
  facts.push(
    ['Sampled', sampledText(kind)],
    ['Heap profile', `${links.profile} (Chrome DevTools opens it too: Memory › Load)`],
  )
  const table = toTable(profile)
  return {
    title: `${test.file} > ${test.name}`,
    factsTitle: 'Test',
    facts,
    timeline: toRows(timeline),
    limit: entry?.limits.peak ?? null,
    profiles:
      kind === 'retained' ? { allocated: null, retained: table } : { allocated: table, retained: null },
    absent: { allocated: ABSENT_ALLOCATED, retained: ABSENT_RETAINED },
    back: links.back,
  }
}

/** A test's limits as the terminal summary writes them: `peak 5 MB, leaks 64 kB`, or `-`; and leak runs. */
export function limitText(limits: SummaryEntry['limits']): string {
  const parts: string[] = []
  if (limits.peak !== undefined) parts.push(`peak ${formatSize(limits.peak)}`)
  if (limits.leaks !== undefined) {
    const perRun = limits.runs !== undefined && limits.runs > 1 ? ` per run (${limits.runs} runs)` : ''
    parts.push(`leaks ${formatSize(limits.leaks)}${perRun}`)
  }
  return parts.join(', ') || '-'
}

export function siteText(site: NonNullable<SummaryEntry['topSite']>): string {
  return `${site.functionName || '(anonymous)'} (${site.file}:${site.line}), ${formatSize(site.bytes)}`
}

function sampledText(kind: ProfileKind): string {
  if (kind === 'allocated') return 'every allocation of the test body (it has a peak limit, or no limit)'
  if (kind === 'retained') return 'only what the test body still held at its end (it has only a leak limit)'
  return (
    'unknown: the test is not in summary.json. Its profile holds every allocation if the test had a peak ' +
    'limit, only what was still held if it had only a leak limit; it is shown as allocations'
  )
}
