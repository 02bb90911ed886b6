import { statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { formatSize, type TimelinePoint } from '@memgate/core'
import type { SummaryEntry } from '@memgate/core/internal'
import { defineCommand } from 'citty'
import {
  findProfiles,
  profilePathOf,
  readProfile,
  readTimeline,
  snapshotNextTo,
  timelineNextTo,
} from '../artifacts.js'
import { CliError } from '../errors.js'
import { writePage } from '../output.js'
import { startProgress } from '../progress.js'
import type { IndexData, IndexRow, OtherProfile } from '../report/index-types.js'
import { renderIndex, renderReport } from '../report/render.js'
import { limitText, siteText, testPageData } from '../report/test-page.js'
import { readSummary } from '../summary.js'

export const report = defineCommand({
  meta: {
    name: 'report',
    description:
      'Render an index page for a Vitest run’s artifacts folder: one row per measured test (peak, allocated, ' +
      'leaked, limit, verdict), each heap profile rendered as a flamegraph page next to it and linked. ' +
      'Needs <dir>/summary.json: run Vitest with memgate({ summary: true }).',
  },
  args: {
    dir: {
      type: 'positional',
      required: false,
      default: '.memgate',
      description: 'The artifacts folder (the plugin’s outputDir)',
    },
    output: {
      type: 'string',
      alias: 'o',
      description: 'The index page to write (default: <dir>/index.html)',
    },
  },
  run({ args }) {
    const dir = resolve(args.dir || '.memgate')
    const summary = readSummary(dir)
    const indexPath = resolve(args.output ?? join(dir, 'index.html'))
    // Never over a profile, a snapshot or the summary: the index is a page.
    if (!/\.html?$/i.test(indexPath))
      throw new CliError(
        'MEMGATE_OUTPUT',
        `The index ${indexPath} must be an .html file. Choose another path with -o.`,
      )
    const profiles = new Set(findProfiles(dir))
    const run: ReportRun = {
      dir,
      indexPath,
      progress: startProgress(),
      total: profiles.size,
      rendered: 0,
      warnings: [],
    }
    const stale = new Set<string>()
    const rows = summary.tests.map((entry) => indexRow(run, entry, profiles, stale))
    // What is left: profiles no test of summary.json claims in this run.
    const others = [...profiles].map((path) => otherProfile(run, path, stale.has(path)))
    const data: IndexData = { dir: args.dir || '.memgate', note: noteFor(summary), rows, others }
    writePage(indexPath, renderIndex(data))
    run.progress.done()
    for (const warning of run.warnings) process.stderr.write(`${warning}\n`)
    console.log(indexPath)
  },
})

/** One `memgate report`: where it writes, and what it has rendered and has to say so far. */
interface ReportRun {
  dir: string
  indexPath: string
  progress: ReturnType<typeof startProgress>
  total: number
  rendered: number
  warnings: string[]
}

interface TestName {
  file: string
  name: string
  entry?: SummaryEntry
}

/** Renders a heap profile as its test's page next to it; its link from the index, or why there is none. */
function renderProfile(run: ReportRun, path: string, test: TestName): { page: string; remark: string } {
  run.progress.update(`rendering flamegraphs: ${run.rendered} of ${run.total}…`)
  run.rendered++
  const profile = readProfile(path)
  if (typeof profile === 'string') {
    run.warnings.push(`memgate: ${path} is ${profile}: left out of the report.`)
    return { page: '', remark: `its heap profile is ${profile}` }
  }
  const page = path.replace(/\.heapprofile$/, '.html')
  if (page === run.indexPath) return { page: '', remark: 'its page would replace the index' }
  const links = { profile: relative(run.dir, path), back: hrefFrom(dirname(page), run.indexPath) }
  const data = testPageData(test, profile, links, timelineOf(run, path))
  writePage(page, renderReport(data), 'Check the folder’s permissions.')
  return { page: indexHref(run, page), remark: '' }
}

/** The timeline written next to a profile, if any; one that cannot be read is left out with a warning. */
function timelineOf(run: ReportRun, profile: string): TimelinePoint[] {
  const path = timelineNextTo(profile)
  if (!path) return []
  const timeline = readTimeline(path)
  if (typeof timeline !== 'string') return timeline
  run.warnings.push(`memgate: ${path} is ${timeline}: its test's page has no chart.`)
  return []
}

/**
 * A test's row of the index, with its page rendered if it wrote a profile in this run (taken out of
 * `profiles`); a profile of its found from an earlier run goes to `stale`.
 */
function indexRow(run: ReportRun, entry: SummaryEntry, profiles: Set<string>, stale: Set<string>): IndexRow {
  // summary.json names the profile a test wrote in this run; older summaries did not, and a test that
  // wrote none may have left one at the same place in an earlier run.
  const path = entry.profile !== undefined ? join(run.dir, entry.profile) : profilePathOf(run.dir, entry)
  const found = profiles.has(path)
  // Only a test that failed over a limit wrote a profile in this run: one found is from an earlier run.
  const current = found && (entry.profile !== undefined || (isOver(entry) && entry.state === 'failed'))
  if (current) profiles.delete(path)
  else if (found) stale.add(path)
  const { page, remark } = current
    ? renderProfile(run, path, { file: entry.file, name: entry.name, entry })
    : blank
  const snapshot = !current
    ? undefined
    : entry.snapshot !== undefined
      ? join(run.dir, entry.snapshot)
      : snapshotNextTo(path)
  return {
    file: entry.file,
    name: entry.name,
    state: String(entry.state ?? ''),
    peak: [formatSize(entry.peak), entry.peak],
    allocated: [formatSize(entry.allocated), entry.allocated],
    leaked: [formatSize(entry.leaked), entry.leaked],
    limit: limitText(entry.limits),
    verdict: String(entry.verdict ?? ''),
    over: isOver(entry),
    top: entry.topSite ? siteText(entry.topSite) : '',
    page,
    profile: current ? indexHref(run, path) : '',
    snapshot: snapshot ? indexHref(run, snapshot) : '',
    remark: found && !current ? 'a heap profile from an earlier run is listed below' : remark,
  }
}

/** A profile no test of this run claims, rendered and listed under the table. */
function otherProfile(run: ReportRun, path: string, stale: boolean): OtherProfile {
  const shown = relative(run.dir, path)
  const [file = '', name = ''] = [dirname(shown), shown.slice(dirname(shown).length + 1)]
  const { page, remark } = renderProfile(run, path, { file, name: name.replace(/\.heapprofile$/, '') })
  const why = stale
    ? 'Its test did not fail over a limit in this run: the profile is from an earlier one.'
    : 'Its test is not in summary.json.'
  return { path: shown, page, profile: indexHref(run, path), written: writtenAt(path), remark: remark || why }
}

/** A link from the index page to `path`. */
function indexHref(run: ReportRun, path: string): string {
  return hrefFrom(dirname(run.indexPath), path)
}

const blank = { page: '', remark: '' }

function isOver(entry: SummaryEntry): boolean {
  return typeof entry.verdict === 'string' && entry.verdict.startsWith('over')
}

function hrefFrom(from: string, to: string): string {
  return relative(from, to).split(sep).map(encodeURIComponent).join('/')
}

function noteFor(summary: { measured: number; tests: unknown[] }): string {
  const { measured, tests } = summary
  if (measured === 0) return 'No test was measured in this run (memgate does not measure concurrent tests).'
  if (measured > tests.length)
    return (
      `The ${tests.length} of ${measured} measured tests with the highest peak, as summary.json lists them. ` +
      `To list them all, set memgate({ summary: true, summaryTop: ${measured} }).`
    )
  return `${measured} measured test${measured === 1 ? '' : 's'}, highest peak first.`
}

function writtenAt(path: string): string {
  try {
    return statSync(path).mtime.toISOString()
  } catch {
    return ''
  }
}
