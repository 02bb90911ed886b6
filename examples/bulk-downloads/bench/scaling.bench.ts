// Does the job's memory grow with the work? The three downloaders — naive, parsed-only (the naive one without
// the JSON text kept) and fixed — on a small job and on one with 10× the videos and 4× larger files, with
// memgate's withMemory(bench): tinybench times one run of each in this process (Node's default heap
// settings), then each task's memory pass — one more run — goes in a fresh child started with
// --max-semi-space-size=1 (this script again: it builds the same benches in the same order), which also
// reports its process memory (RSS) before the run and at its peak, as `ps` would show it.
//   node --import tsx bench/scaling.bench.ts      (from examples/bulk-downloads; prints Markdown)
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { type TaskMemory, withMemory } from '@memgate/core/tinybench'
import { Bench } from 'tinybench'
import { downloadFixed } from '../src/download/fixed.js'
import type { JobOptions } from '../src/download/job.js'
import { downloadNaive } from '../src/download/naive.js'
import { downloadParsedOnly } from '../src/download/parsed-only.js'
import type { MediaSizes } from '../src/media/generate.js'
import { formatMs, formatSize, machine, progress, type Setup, setUp, table } from './shared.js'

type Downloader = 'naive' | 'parsed-only' | 'fixed'
const DOWNLOADERS: Downloader[] = ['naive', 'parsed-only', 'fixed']
const DOWNLOAD = { naive: downloadNaive, 'parsed-only': downloadParsedOnly, fixed: downloadFixed }
const SCALES: { name: string; videos: number; sizes: MediaSizes }[] = [
  { name: 'small', videos: 25, sizes: { mp4: 2_000_000, png: 200_000 } },
  { name: '10× videos, 4× file sizes', videos: 250, sizes: { mp4: 8_000_000, png: 800_000 } },
]

interface Row {
  scale: string
  downloader: Downloader
  /** One plain run's time, from tinybench in this process. */
  timeMs: number
  /** What the timed run downloaded: the memory pass downloads the same. */
  report: { bytes: number; downloaded: number }
  memory: TaskMemory
}

/**
 * One bench per job size: each task one download, timed once (no warm-up: the first run is the one a job
 * makes) and measured once, with no warm-up call either. Each task starts its own media server and output
 * folder before its runs (`beforeAll`) — in a measuring child too, before the measured span — and removes them
 * after, so that no run finds the last one's files.
 */
async function runScale(scale: (typeof SCALES)[number]): Promise<Row[]> {
  const bench = withMemory(new Bench({ iterations: 1, time: 0, warmup: false, throws: true }), {
    where: 'child',
    iterations: 1,
    warmup: 0,
  })
  const reports = new Map<Downloader, Row['report']>()
  for (const downloader of DOWNLOADERS) {
    let setup: Setup | undefined
    let job: JobOptions | undefined
    bench.add(
      `${scale.name}: ${downloader}`,
      async () => {
        if (!job) throw new Error('the job is set up in beforeAll')
        const { bytes, downloaded } = await DOWNLOAD[downloader](job)
        reports.set(downloader, { bytes, downloaded })
      },
      {
        // Said, not detected: tinybench would otherwise call the function once as it is added.
        async: true,
        beforeAll: async () => {
          progress(`${scale.name}: ${downloader}, ${scale.videos} videos…`)
          setup = await setUp(scale.sizes)
          job = { catalogue: setup.catalogue, out: join(setup.folder, downloader), limit: scale.videos }
        },
        afterAll: async () => {
          if (!setup) return
          await setup.server.stop()
          rmSync(setup.folder, { recursive: true, force: true })
          setup = undefined
        },
      },
    )
  }
  await bench.run()
  // A measuring child returns from run() without timing the benches it was not started for: no rows.
  return bench.tasks.flatMap((task, at) => {
    const downloader = DOWNLOADERS[at]
    const result = task.result
    const report = downloader && reports.get(downloader)
    if (!downloader || !report || result.state !== 'completed' || !result.memory) return []
    return [{ scale: scale.name, downloader, timeMs: result.latency.mean, report, memory: result.memory }]
  })
}

const started = performance.now()
const rows: Row[] = []
for (const scale of SCALES) rows.push(...(await runScale(scale)))
if (rows.length !== SCALES.length * DOWNLOADERS.length)
  throw new Error(`${rows.length} of ${SCALES.length * DOWNLOADERS.length} runs were measured`)

const small = (downloader: Downloader) => rows.find((row) => row.downloader === downloader)?.memory.peak ?? 0
const cells = rows.map(({ scale, downloader, timeMs, report, memory }) => {
  const { rss } = memory
  if (!rss) throw new Error('no RSS figures: the memory passes need Linux (/proc/self/clear_refs)')
  const growth = memory.peak - small(downloader)
  return [
    scale,
    downloader,
    `${report.downloaded} videos, ${formatSize(report.bytes)}`,
    formatMs(timeMs),
    formatSize(memory.peak),
    formatSize(memory.peakHeap),
    formatSize(memory.peakExternal),
    formatSize(rss.before),
    formatSize(rss.peak),
    `+${formatSize(rss.peak - rss.before)}`,
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
      cells,
    ),
    '',
    `Small job: the first ${SCALES[0]?.videos} videos of the 8 MB catalogue, files of ${formatSize(SCALES[0]?.sizes.mp4 ?? 0)} ` +
      `(MP4) and ${formatSize(SCALES[0]?.sizes.png ?? 0)} (PNG) on average; large job: the first ${SCALES[1]?.videos} ` +
      `videos, files of ${formatSize(SCALES[1]?.sizes.mp4 ?? 0)} and ${formatSize(SCALES[1]?.sizes.png ?? 0)}; the ` +
      "server in another process on loopback. Measured with memgate's `withMemory(bench)` " +
      '(`@memgate/core/tinybench`): time is one plain run timed by tinybench in this process; the memory figures ' +
      "are one more run's, in a fresh child process started with `--max-semi-space-size=1`. Peak = JS heap + " +
      'external (Buffers) above the level before the run, observed at GCs and paced readings. Process RSS: the ' +
      "child's resident set, as `ps` counts it, just before the run and the kernel's high-water mark over it " +
      '(reset as the run started, `/proc/self/clear_refs`). ' +
      `${machine()}; the whole benchmark took ${seconds} s.`,
  ].join('\n'),
)
