import { formatSize, type TimelinePoint } from '@memgate/core'
import type { Capture } from '../capture.js'
import { toTable } from './data.js'
import type { ReportData } from './types.js'

const NO_RETAINED =
  'This run sampled every allocation, so it cannot tell what was still held at the end. Record that with ' +
  'memgate run --leaks, and add it to this page with: memgate flamegraph <capture> --retained <leaks capture>'
const NO_ALLOCATED =
  'This run was recorded with --leaks: V8 runs one sampling heap profiler per process, and this one kept ' +
  'only what was still held at the end. Run without --leaks to see every allocation.'

/**
 * The page of a `memgate run` capture. `leaks`, a capture of the same script made with `--leaks`, adds what
 * was still held at the end of that second run.
 */
export function runPageData(capture: Capture, leaks?: Capture): ReportData {
  const m = capture.measurement
  const retainedOnly = capture.keep === 'retained'
  const allocatedText = retainedOnly
    ? `${formatSize(m.allocated)} (from GC statistics: this run sampled only what was still held)`
    : formatSize(m.allocated)
  const facts: [string, string][] = [
    ['Command', String(capture.command ?? '')],
    ['Exit code', capture.exitCode === null ? 'none (killed by a signal)' : String(capture.exitCode)],
    ['Started', String(capture.startedAt ?? '')],
    ['Duration', formatDuration(m.durationMs)],
    [
      'Peak',
      `${formatSize(m.peak)} (JS heap ${formatSize(m.peakHeap)}, external ${formatSize(m.peakExternal)})`,
    ],
    ['Allocated', allocatedText],
    [
      'Leaked',
      `${formatSize(m.leaked)} still reachable at the end (JS heap ${formatSize(m.leakedHeap)}, ` +
        `external ${formatSize(m.leakedExternal)})`,
    ],
    [
      'GC',
      `${m.gc.count} collections (${m.gc.major} major, ${m.gc.forced} forced by memgate), ` +
        `${formatDuration(m.gc.durationMs)} paused`,
    ],
  ]
  if (leaks) {
    facts.push([
      'Still held at the end',
      `from a second run, ${leaks.command} (started ${leaks.startedAt}): ` +
        `${formatSize(leaks.measurement.leaked)} still reachable at its end`,
    ])
  }
  const retained = leaks?.measurement.profile ?? (retainedOnly ? m.profile : undefined)
  return {
    title: String(capture.script ?? ''),
    factsTitle: 'Run',
    facts,
    timeline: toRows(m.timeline ?? []),
    limit: null,
    profiles: {
      allocated: retainedOnly ? null : toTable(m.profile),
      retained: retained ? toTable(retained) : null,
    },
    absent: { allocated: NO_ALLOCATED, retained: NO_RETAINED },
    back: '',
  }
}

/** Milliseconds for people: `850 ms`, `12.3 s` (as the page writes them). */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** A measurement's timeline as the page's rows: `[t, heap, external, rss]`. */
export function toRows(timeline: readonly TimelinePoint[]): ReportData['timeline'] {
  return timeline.map((p) => [round(p.t), p.heap, p.external, p.rss])
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
