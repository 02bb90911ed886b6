import { statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { formatSize } from '@memgate/core'
import type { SummaryEntry } from '@memgate/core/internal'
import { defineCommand } from 'citty'
import { findProfiles, profilePathOf, readProfile, snapshotNextTo } from '../artifacts.js'
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
    const from = dirname(indexPath)
    const href = (path: string) => hrefFrom(from, path)
    const progress = startProgress()
    const profiles = new Set(findProfiles(dir))
    const warnings: string[] = []
    const stale = new Set<string>()
    let rendered = 0
    const total = profiles.size

    const render = (path: string, test: { file: string; name: string; entry?: SummaryEntry }) => {
      progress.update(`rendering flamegraphs: ${rendered} of ${total}…`)
      rendered++
      const profile = readProfile(path)
      if (typeof profile === 'string') {
        warnings.push(`memgate: ${path} is ${profile}: left out of the report.`)
        return { page: '', remark: `its heap profile is ${profile}` }
      }
      const page = path.replace(/\.heapprofile$/, '.html')
      if (page === indexPath) return { page: '', remark: 'its page would replace the index' }
      const links = { profile: relative(dir, path), back: hrefFrom(dirname(page), indexPath) }
      writePage(page, renderReport(testPageData(test, profile, links)), 'Check the folder’s permissions.')
      return { page: href(page), remark: '' }
    }

    const rows = summary.tests.map((entry): IndexRow => {
      // summary.json names the profile a test wrote in this run; older summaries did not, and a test that
      // wrote none may have left one at the same place in an earlier run.
      const path = entry.profile !== undefined ? join(dir, entry.profile) : profilePathOf(dir, entry)
      const found = profiles.has(path)
      // Only a test that failed over a limit wrote a profile in this run: one found is from an earlier run.
      const current = found && (entry.profile !== undefined || (isOver(entry) && entry.state === 'failed'))
      if (current) profiles.delete(path)
      else if (found) stale.add(path)
      const { page, remark } = current ? render(path, { file: entry.file, name: entry.name, entry }) : blank
      const snapshot = !current
        ? undefined
        : entry.snapshot !== undefined
          ? join(dir, entry.snapshot)
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
        profile: current ? href(path) : '',
        snapshot: snapshot ? href(snapshot) : '',
        remark: found && !current ? 'a heap profile from an earlier run is listed below' : remark,
      }
    })

    const others = [...profiles].map((path): OtherProfile => {
      const shown = relative(dir, path)
      const [file = '', name = ''] = [dirname(shown), shown.slice(dirname(shown).length + 1)]
      const { page, remark } = render(path, { file, name: name.replace(/\.heapprofile$/, '') })
      const why = stale.has(path)
        ? 'Its test did not fail over a limit in this run: the profile is from an earlier one.'
        : 'Its test is not in summary.json.'
      return { path: shown, page, profile: href(path), written: writtenAt(path), remark: remark || why }
    })

    const data: IndexData = { dir: args.dir || '.memgate', note: noteFor(summary), rows, others }
    writePage(indexPath, renderIndex(data))
    progress.done()
    for (const warning of warnings) process.stderr.write(`${warning}\n`)
    console.log(indexPath)
  },
})

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
