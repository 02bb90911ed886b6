// The seed's three questions, asked of both downloaders on the same job: the first 50 videos of the 8 MB
// catalogue, files of the default sizes (3 MB MP4s, 300 kB PNGs on average), over loopback.
//   1. the runtime: median of 5 runs of each, in this process, Node's default heap settings;
//   2. the peak memory: memgate's measure() around one run, in a fresh child with a pinned young generation;
//   3. which kinds of objects hold the memory: memgate's leak tracking (startLeakTracking), its diagnosis by
//      kind taken at named moments of each job, in a fresh child.
//   node --import tsx bench/seed-questions.bench.ts      (from examples/bulk-downloads; prints Markdown)
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { type LeakGroup, measure, startLeakTracking, topSites } from '@memgate/core'
import { downloadFixed } from '../src/download/fixed.js'
import type { JobOptions } from '../src/download/job.js'
import { downloadNaive, type NaivePhase } from '../src/download/naive.js'
import type { Progress } from '../src/download/progress.js'
import { DEFAULT_SIZES } from '../src/media/generate.js'
import {
  answer,
  childRequest,
  formatMs,
  formatRatio,
  formatSite,
  formatSize,
  isExampleFrame,
  machine,
  median,
  progress,
  runChild,
  setUp,
  table,
} from './shared.js'

const LIMIT = 50
const RUNS = 5
type Downloader = 'naive' | 'fixed'
const DOWNLOADERS: Downloader[] = ['naive', 'fixed']

interface Request {
  task: 'peak' | 'kinds'
  downloader: Downloader
  job: JobOptions
}

interface Peak {
  peak: number
  peakHeap: number
  peakExternal: number
  allocated: number
  durationMs: number
  sites: string[]
}

/** Kinds alive at one moment, made since the job started. */
interface Moment {
  moment: string
  bytes: number
  groups: LeakGroup[]
}

function run(downloader: Downloader, job: JobOptions, inspect?: (phase: NaivePhase) => void) {
  return downloader === 'naive' ? downloadNaive(job, inspect) : downloadFixed(job)
}

async function peakOf(request: Request): Promise<Peak> {
  const measured = await measure(() => run(request.downloader, request.job))
  return {
    peak: measured.peak,
    peakHeap: measured.peakHeap,
    peakExternal: measured.peakExternal,
    allocated: measured.allocated,
    durationMs: measured.durationMs,
    sites: topSites(measured.profile, { limit: 3, frames: 1, filter: isExampleFrame }).map(formatSite),
  }
}

async function kindsOf(request: Request): Promise<Moment[]> {
  const tracking = await startLeakTracking()
  const moments: Moment[] = []
  const look = (moment: string) => {
    const diagnosis = tracking.diagnose({ limit: 6, paths: 3 })
    moments.push({ moment, bytes: diagnosis.bytes, groups: diagnosis.groups })
  }
  try {
    if (request.downloader === 'naive') {
      await downloadNaive(request.job, (phase) => {
        if (phase !== 'downloaded') look(phase)
      })
    } else {
      // Mid-run, when the 25th video is done: the parser, the downloads in flight, the journal.
      let done = 0
      const watch: Progress = {
        start() {},
        done: () => {
          if (++done === LIMIT / 2) look('after 25 videos')
        },
        skipped() {},
        failed() {},
        retry() {},
        finish() {},
      }
      await downloadFixed({ ...request.job, progress: watch })
    }
  } finally {
    tracking.stop()
  }
  return moments
}

const request = childRequest<Request>()
if (request) {
  answer(request.task === 'peak' ? await peakOf(request) : await kindsOf(request))
} else {
  const started = performance.now()
  const setup = await setUp(DEFAULT_SIZES)
  const job = (name: string): JobOptions => ({
    catalogue: setup.catalogue,
    out: join(setup.folder, name),
    limit: LIMIT,
  })
  try {
    // 1. Runtime: the two downloaders in turn, each run into a new folder (removed after).
    const times: Record<Downloader, number[]> = { naive: [], fixed: [] }
    let bytes = 0
    for (let n = 0; n < RUNS; n++) {
      for (const downloader of DOWNLOADERS) {
        progress(`runtime: ${downloader}, run ${n + 1} of ${RUNS}…`)
        const options = job(`${downloader}-${n}`)
        const begun = performance.now()
        const report = await run(downloader, options)
        times[downloader].push(performance.now() - begun)
        bytes = report.bytes
        rmSync(options.out, { recursive: true, force: true })
      }
    }
    // 2. Peak memory, 3. kinds: each in a fresh child.
    const peaks = {} as Record<Downloader, Peak>
    const kinds = {} as Record<Downloader, Moment[]>
    for (const downloader of DOWNLOADERS) {
      progress(`peak: ${downloader}…`)
      peaks[downloader] = runChild<Peak>(new URL(import.meta.url), {
        task: 'peak',
        downloader,
        job: job(`peak-${downloader}`),
      })
      progress(`kinds: ${downloader}…`)
      kinds[downloader] = runChild<Moment[]>(new URL(import.meta.url), {
        task: 'kinds',
        downloader,
        job: job(`kinds-${downloader}`),
      })
    }
    console.log(render(times, bytes, peaks, kinds, (performance.now() - started) / 1000))
  } finally {
    await setup.server.stop()
    rmSync(setup.folder, { recursive: true, force: true })
  }
}

/** Per kind, what `moment` holds beyond `before` (bytes and counts); kinds that did not grow are left out. */
function difference(moment: Moment, before: Moment | undefined): LeakGroup[] {
  const earlier = new Map((before?.groups ?? []).map((group) => [group.kind, group]))
  return moment.groups
    .map((group) => ({
      kind: group.kind,
      count: group.count - (earlier.get(group.kind)?.count ?? 0),
      bytes: group.bytes - (earlier.get(group.kind)?.bytes ?? 0),
      externalBytes: group.externalBytes - (earlier.get(group.kind)?.externalBytes ?? 0),
    }))
    .filter((group) => group.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
}

/** A retainer path without this machine's folders: `module @streamparser/json-node/dist/mjs/jsonparser.js → …`. */
function shortPath(path: string): string {
  return path.replace(/\S*node_modules\/(?:\.pnpm\/[^/\s]+\/node_modules\/)?/g, '').replaceAll('|', '\\|')
}

function describeGroups(groups: LeakGroup[]): string {
  return groups
    .slice(0, 3)
    .map((group) => `${group.kind} ×${group.count.toLocaleString('en')}: ${formatSize(group.bytes)}`)
    .join(', ')
}

function render(
  times: Record<Downloader, number[]>,
  bytes: number,
  peaks: Record<Downloader, Peak>,
  kinds: Record<Downloader, Moment[]>,
  seconds: number,
): string {
  const base = { time: median(times.naive), peak: peaks.naive.peak }
  const runtime = table(
    [
      'downloader',
      'mean time',
      'median',
      'fastest',
      'slowest',
      'median vs naive',
      'peak',
      'JS heap',
      'external',
      'peak vs naive',
      'allocated (JS heap)',
    ],
    DOWNLOADERS.map((downloader) => {
      const peak = peaks[downloader]
      return [
        downloader,
        formatMs(times[downloader].reduce((sum, ms) => sum + ms, 0) / times[downloader].length),
        formatMs(median(times[downloader])),
        formatMs(Math.min(...times[downloader])),
        formatMs(Math.max(...times[downloader])),
        formatRatio(median(times[downloader]) / base.time),
        formatSize(peak.peak),
        formatSize(peak.peakHeap),
        formatSize(peak.peakExternal),
        formatRatio(peak.peak / base.peak),
        formatSize(peak.allocated),
      ]
    }),
  )
  const sites = table(
    ['downloader', 'top allocation sites (JS heap, allocated during the run, freed or not)'],
    DOWNLOADERS.map((downloader) => [downloader, peaks[downloader].sites.join('<br>')]),
  )
  const kindRows: string[][] = []
  const naive = kinds.naive
  const parts: Record<string, string> = {
    read: 'the JSON text',
    parsed: 'the parsed catalogue',
    listed: 'the two link lists',
  }
  naive.forEach((moment, at) => {
    const before = naive[at - 1]
    const added = difference(moment, before)
    kindRows.push([
      'naive',
      parts[moment.moment] ?? moment.moment,
      before ? `added from \`${before.moment}\` to \`${moment.moment}\`` : `held at \`${moment.moment}\``,
      formatSize(moment.bytes - (before?.bytes ?? 0)),
      describeGroups(added),
    ])
  })
  const last = naive.at(-1)
  if (last)
    kindRows.push([
      'naive',
      '**all of it**',
      `held at \`${last.moment}\``,
      formatSize(last.bytes),
      describeGroups(last.groups),
    ])
  for (const moment of kinds.fixed) {
    kindRows.push([
      'fixed',
      'everything the job holds',
      `held ${moment.moment}`,
      formatSize(moment.bytes),
      `${describeGroups(moment.groups)}<br>largest reached by: ${shortPath(moment.groups[0]?.retainerPath ?? '')}`,
    ])
  }
  const kindTable = table(
    ['downloader', 'what', 'measured', 'bytes', 'by kind (new objects: shallow bytes)'],
    kindRows,
  )
  return [
    `**Runtime and peak** — the first ${LIMIT} videos, ${formatSize(bytes)} downloaded per run:`,
    '',
    runtime,
    '',
    sites,
    '',
    '**Which kinds of objects hold the memory:**',
    '',
    kindTable,
    '',
    `Times: ${RUNS} runs of each downloader, in turn, in one process with Node's default heap settings, the ` +
      "server in another process on loopback; each run writes into a new folder. Peak: memgate's `measure()` " +
      'around one run in a fresh process started with `--max-semi-space-size=1`; peak = JS heap + external ' +
      '(Buffers), above the level before the run, observed at GCs and paced readings; "allocated" is estimated ' +
      'by the sampling heap profiler (JS heap only: Buffer contents are not sampled). Kinds: `startLeakTracking()` ' +
      'before the job and `diagnose()` at each moment, in a fresh process: objects made since the start and ' +
      'reachable then, grouped by constructor (`(string)`: strings), shallow sizes (a count of ×0 means ' +
      "only the backing stores of older objects grew); the naive job's moments are after reading the catalogue " +
      'as text (`read`), after `JSON.parse` (`parsed`) and after building the link lists (`listed`), and each ' +
      'part is the difference between two moments. The fixed job is looked at when its 25th video is done. ' +
      `${machine()}; the whole benchmark took ${seconds.toFixed(0)} s.`,
  ].join('\n')
}
