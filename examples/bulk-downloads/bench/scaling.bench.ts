// Does the job's memory grow with the work? The three downloaders — naive, parsed-only (the naive one without
// the JSON text kept) and fixed — on a small job and on one with 10× the videos and 4× larger files, each run
// measured with memgate's measure() in a fresh child process, which also reports its process memory (RSS)
// before the run and at its peak, as `ps` would show it.
//   node --import tsx bench/scaling.bench.ts      (from examples/bulk-downloads; prints Markdown)
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { measure } from '@memgate/core'
import { downloadFixed } from '../src/download/fixed.js'
import type { JobOptions } from '../src/download/job.js'
import { downloadNaive } from '../src/download/naive.js'
import { downloadParsedOnly } from '../src/download/parsed-only.js'
import type { MediaSizes } from '../src/media/generate.js'
import {
  answer,
  childRequest,
  formatMs,
  formatSize,
  machine,
  progress,
  runChild,
  setUp,
  table,
} from './shared.js'

type Downloader = 'naive' | 'parsed-only' | 'fixed'
const DOWNLOADERS: Downloader[] = ['naive', 'parsed-only', 'fixed']
const DOWNLOAD = { naive: downloadNaive, 'parsed-only': downloadParsedOnly, fixed: downloadFixed }
const SCALES: { name: string; videos: number; sizes: MediaSizes }[] = [
  { name: 'small', videos: 25, sizes: { mp4: 2_000_000, png: 200_000 } },
  { name: '10× videos, 4× file sizes', videos: 250, sizes: { mp4: 8_000_000, png: 800_000 } },
]

interface Request {
  downloader: Downloader
  job: JobOptions
}

interface Result {
  peak: number
  peakHeap: number
  peakExternal: number
  durationMs: number
  bytes: number
  downloaded: number
  /** The process's resident set size just before the run, in bytes. */
  rssBefore: number
  /** The most the process's resident set has been (getrusage's maxrss): the run's peak, as `ps` sees it. */
  rssPeak: number
}

async function measureOne({ downloader, job }: Request): Promise<Result> {
  let report = { bytes: 0, downloaded: 0 }
  const rssBefore = process.memoryUsage.rss()
  const measured = await measure(async () => {
    report = await DOWNLOAD[downloader](job)
  })
  // maxRSS is in kibibytes, and covers the whole process's life: the run is what this child is for.
  const rssPeak = process.resourceUsage().maxRSS * 1024
  const { peak, peakHeap, peakExternal, durationMs } = measured
  const { bytes, downloaded } = report
  return { peak, peakHeap, peakExternal, durationMs, bytes, downloaded, rssBefore, rssPeak }
}

const request = childRequest<Request>()
if (request) {
  answer(await measureOne(request))
} else {
  const started = performance.now()
  const results: { scale: string; downloader: Downloader; result: Result }[] = []
  for (const scale of SCALES) {
    const setup = await setUp(scale.sizes)
    try {
      for (const downloader of DOWNLOADERS) {
        progress(`${scale.name}: ${downloader}, ${scale.videos} videos…`)
        const job = { catalogue: setup.catalogue, out: join(setup.folder, downloader), limit: scale.videos }
        results.push({
          scale: scale.name,
          downloader,
          result: runChild<Result>(new URL(import.meta.url), { downloader, job }),
        })
        rmSync(job.out, { recursive: true, force: true })
      }
    } finally {
      await setup.server.stop()
      rmSync(setup.folder, { recursive: true, force: true })
    }
  }
  const small = (downloader: Downloader) =>
    results.find((row) => row.downloader === downloader)?.result.peak ?? 0
  const rows = results.map(({ scale, downloader, result }) => {
    const growth = result.peak - small(downloader)
    return [
      scale,
      downloader,
      `${result.downloaded} videos, ${formatSize(result.bytes)}`,
      formatMs(result.durationMs),
      formatSize(result.peak),
      formatSize(result.peakHeap),
      formatSize(result.peakExternal),
      formatSize(result.rssBefore),
      formatSize(result.rssPeak),
      `+${formatSize(result.rssPeak - result.rssBefore)}`,
      scale === SCALES[0]?.name ? '–' : `${growth >= 0 ? '+' : '−'}${formatSize(Math.abs(growth))}`,
    ]
  })
  const seconds = ((performance.now() - started) / 1000).toFixed(0)
  console.log(
    [
      table(
        [
          'job',
          'downloader',
          'downloaded',
          'time',
          'peak',
          'JS heap',
          'external',
          'process RSS before',
          'RSS peak',
          'RSS growth',
          'peak vs small job',
        ],
        rows,
      ),
      '',
      `Small job: the first ${SCALES[0]?.videos} videos of the 8 MB catalogue, files of ${formatSize(SCALES[0]?.sizes.mp4 ?? 0)} ` +
        `(MP4) and ${formatSize(SCALES[0]?.sizes.png ?? 0)} (PNG) on average; large job: the first ${SCALES[1]?.videos} ` +
        `videos, files of ${formatSize(SCALES[1]?.sizes.mp4 ?? 0)} and ${formatSize(SCALES[1]?.sizes.png ?? 0)}. Each run ` +
        "measured with memgate's `measure()` in a fresh process started with `--max-semi-space-size=1`, the server " +
        'in another process on loopback; peak = JS heap + external (Buffers) above the level before the run, ' +
        'observed at GCs and paced readings (time is under measurement, slower than a plain run). Process RSS: ' +
        "the child's resident set, `process.memoryUsage.rss()` just before the run and the kernel's high-water " +
        'mark `process.resourceUsage().maxRSS` (getrusage) after it, the whole process as `ps` counts it. ' +
        `${machine()}; the whole benchmark took ${seconds} s.`,
    ].join('\n'),
  )
}
