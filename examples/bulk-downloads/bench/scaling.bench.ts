// Does the job's memory grow with the work? The three downloaders — naive, parsed-only (the naive one without
// the JSON text kept) and fixed — on a small job and on one with 10× the videos and 4× larger files: one
// tinybench task per (job, downloader) under memgate's withMemory(bench), which times one run, then measures
// one more. The script runs pinned (--max-semi-space-size=1; it starts itself again so if it was not), so the
// memory passes run in this process, where the media server of the job is up; the process memory (RSS) is
// read around each task's memory pass, as `ps` would show it.
//   node --import tsx bench/scaling.bench.ts      (from examples/bulk-downloads; prints Markdown)
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { YOUNG_GENERATION_FLAGS, youngGeneration } from '@memgate/core'
import { type TaskMemory, withMemory } from '@memgate/core/tinybench'
import { Bench } from 'tinybench'
import { downloadFixed } from '../src/download/fixed.js'
import { downloadNaive } from '../src/download/naive.js'
import { downloadParsedOnly } from '../src/download/parsed-only.js'
import type { MediaSizes } from '../src/media/generate.js'
import { type ProcessMemory, processMemoryOfLastRun } from './rss.js'
import { formatMs, formatSize, machine, progress, setUp, table } from './shared.js'

if (!youngGeneration().pinned) {
  // Memory passes need the young generation pinned from the start; a child would have to start its own server.
  const script = fileURLToPath(import.meta.url)
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, ...YOUNG_GENERATION_FLAGS, script, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  )
  process.exit(child.status ?? 1)
}

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
  ms: number
  memory: TaskMemory
  rss: ProcessMemory
  bytes: number
  downloaded: number
}

const started = performance.now()
const results: Row[] = []
for (const scale of SCALES) {
  const setup = await setUp(scale.sizes)
  try {
    const reports = new Map<string, { bytes: number; downloaded: number }>()
    const rss = processMemoryOfLastRun()
    const bench = withMemory(
      new Bench({ iterations: 1, time: 0, warmup: false, throws: true, ...rss.hooks }),
      { iterations: 1, warmup: 0, where: 'this-process' },
    )
    for (const downloader of DOWNLOADERS) {
      let runs = 0
      let out = ''
      bench.add(
        downloader,
        async () => {
          // Each run writes into a new folder: the fixed downloader would skip the files journaled before.
          out = join(setup.folder, `${downloader}-${runs++}`)
          const { bytes, downloaded } = await DOWNLOAD[downloader]({
            catalogue: setup.catalogue,
            out,
            limit: scale.videos,
          })
          reports.set(downloader, { bytes, downloaded })
        },
        { afterEach: () => rmSync(out, { recursive: true, force: true }) },
      )
    }
    progress(
      `${scale.name}: ${DOWNLOADERS.join(', ')}, ${scale.videos} videos, one timed run and one measured…`,
    )
    await bench.run()
    for (const downloader of DOWNLOADERS) {
      const result = bench.getTask(downloader)?.result
      if (result?.state !== 'completed') throw new Error(`${downloader}: ${result?.state ?? 'no result'}`)
      const report = reports.get(downloader)
      const memory = result.memory
      const processMemory = rss.of(downloader)
      if (!memory || !report || !processMemory) throw new Error(`${downloader}: no memory figures`)
      results.push({
        scale: scale.name,
        downloader,
        ms: result.latency.p50,
        memory,
        rss: processMemory,
        ...report,
      })
    }
  } finally {
    await setup.server.stop()
    rmSync(setup.folder, { recursive: true, force: true })
  }
}
const small = (downloader: Downloader) =>
  results.find((row) => row.downloader === downloader)?.memory.peak ?? 0
const rows = results.map(({ scale, downloader, ms, memory, rss, bytes, downloaded }) => {
  const growth = memory.peak - small(downloader)
  return [
    scale,
    downloader,
    `${downloaded} videos, ${formatSize(bytes)}`,
    formatMs(ms),
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
      rows,
    ),
    '',
    `Small job: the first ${SCALES[0]?.videos} videos of the 8 MB catalogue, files of ${formatSize(SCALES[0]?.sizes.mp4 ?? 0)} ` +
      `(MP4) and ${formatSize(SCALES[0]?.sizes.png ?? 0)} (PNG) on average; large job: the first ${SCALES[1]?.videos} ` +
      `videos, files of ${formatSize(SCALES[1]?.sizes.mp4 ?? 0)} and ${formatSize(SCALES[1]?.sizes.png ?? 0)}. ` +
      "Measured with memgate's `withMemory(bench)` (`@memgate/core/tinybench`), one tinybench task per job and " +
      'downloader, in one process started with `--max-semi-space-size=1`, the server in another process on ' +
      "loopback; each run writes into a new folder. Time: tinybench, one run. Memory: the task's memory pass, " +
      'one more run, in the same process (`result.memory`); peak = JS heap + external (Buffers) above the level ' +
      'before the run, observed at GCs and paced readings. Process RSS: the resident set around that memory ' +
      'pass, `process.memoryUsage.rss()` when it starts and its highest while it runs: read every 10 ms, or ' +
      "the kernel's high-water mark `process.resourceUsage().maxRSS` (getrusage) if the pass raised it, the " +
      `whole process as \`ps\` counts it. ${machine()}; the whole benchmark took ${seconds} s.`,
  ].join('\n'),
)
