// Does the job's memory grow with the work? Both downloaders on a small job and on one with 10× the videos
// and 4× larger files, each run measured with memgate's measure() in a fresh child process.
//   node --import tsx bench/scaling.bench.ts      (from examples/bulk-downloads; prints Markdown)
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { measure } from '@memgate/core'
import { downloadFixed } from '../src/download/fixed.js'
import type { JobOptions } from '../src/download/job.js'
import { downloadNaive } from '../src/download/naive.js'
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

type Downloader = 'naive' | 'fixed'
const DOWNLOADERS: Downloader[] = ['naive', 'fixed']
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
}

async function measureOne({ downloader, job }: Request): Promise<Result> {
  let report = { bytes: 0, downloaded: 0 }
  const measured = await measure(async () => {
    report = downloader === 'naive' ? await downloadNaive(job) : await downloadFixed(job)
  })
  const { peak, peakHeap, peakExternal, durationMs } = measured
  return { peak, peakHeap, peakExternal, durationMs, bytes: report.bytes, downloaded: report.downloaded }
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
      scale === SCALES[0]?.name ? '–' : `${growth >= 0 ? '+' : '−'}${formatSize(Math.abs(growth))}`,
    ]
  })
  const seconds = ((performance.now() - started) / 1000).toFixed(0)
  console.log(
    [
      table(
        ['job', 'downloader', 'downloaded', 'time', 'peak', 'JS heap', 'external', 'peak vs small job'],
        rows,
      ),
      '',
      `Small job: the first ${SCALES[0]?.videos} videos of the 8 MB catalogue, files of ${formatSize(SCALES[0]?.sizes.mp4 ?? 0)} ` +
        `(MP4) and ${formatSize(SCALES[0]?.sizes.png ?? 0)} (PNG) on average; large job: the first ${SCALES[1]?.videos} ` +
        `videos, files of ${formatSize(SCALES[1]?.sizes.mp4 ?? 0)} and ${formatSize(SCALES[1]?.sizes.png ?? 0)}. Each run ` +
        "measured with memgate's `measure()` in a fresh process started with `--max-semi-space-size=1`, the server " +
        'in another process on loopback; peak = JS heap + external (Buffers) above the level before the run, ' +
        'observed at GCs and paced readings (time is under measurement, slower than a plain run). ' +
        `${machine()}; the whole benchmark took ${seconds} s.`,
    ].join('\n'),
  )
}
