// What a leak diagnosis costs: a leaking "test body" on a heap that already holds 10 MB or 100 MB, timed bare,
// under measure() (the leak check every limitLeaks test pays) and diagnosed (mark snapshot, body, full GC,
// end snapshot written to disk, analysis: what a failing limitLeaks test adds) with V8's allocation tracking
// off and on (the per-kind allocation sites), all in one run with tinybench.
// Run with `node --max-semi-space-size=1 --import tsx bench/leak-diagnosis.bench.ts` after building the
// package; it rewrites its own section of BENCHMARKS.md (between the leak-diagnosis markers): format it with
// `npx biome format --write packages/core/BENCHMARKS.md` afterwards.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Bench } from 'tinybench'
import type * as Core from '../src/index.js'
import { liveObjects, MB } from './workloads.js'

const core: typeof Core = await import(new URL('../dist/index.js', import.meta.url).href)
if (!core.youngGeneration().pinned)
  throw new Error(`Start the benchmark with ${core.YOUNG_GENERATION_FLAGS.join(' ')}, as memgate measures.`)

/** The leak: 2,000 sessions pushed onto a module-level array per call (~140 kB), dropped between calls. */
class Session {
  constructor(
    readonly id: number,
    readonly user = `user-${id}`,
  ) {}
}
const service = { sessions: [] as Session[] }
function leakingBody(): number {
  for (let i = 0; i < 2000; i++) service.sessions.push(new Session(i))
  return service.sessions.length
}
/**
 * The same leak in a body that also makes and drops 500,000 small objects (kept in a local array, so that the
 * optimizing compiler cannot elide them): allocation is what tracking slows.
 */
function churningBody(): number {
  const scratch: { id: number; label: string }[] = []
  for (let i = 0; i < 500_000; i++) scratch.push({ id: i, label: 'x' })
  return scratch.length + leakingBody()
}
const reset = () => {
  service.sessions = []
}

interface Heap {
  name: string
  build: () => unknown
  rounds: number
  body?: () => number
}

// Small objects are the hard case (the snapshot's size follows the number of objects); big arrays the easy one.
const HEAPS: Heap[] = [
  {
    name: '10 MB of small objects',
    build: () => Array.from({ length: 2 }, () => liveObjects(100_000)),
    rounds: 3,
  },
  {
    name: '100 MB of small objects',
    build: () => Array.from({ length: 21 }, () => liveObjects(100_000)),
    rounds: 2,
  },
  {
    name: '100 MB in 100 arrays of numbers',
    build: () => Array.from({ length: 100 }, () => new Array(125_000).fill(0.5)),
    rounds: 2,
  },
  {
    name: '10 MB of small objects, a body that also makes 500,000 short-lived objects',
    build: () => Array.from({ length: 2 }, () => liveObjects(100_000)),
    rounds: 3,
    body: churningBody,
  },
]

interface Row {
  heap: string
  held: number
  bare: number
  measured: number
  /** By allocation tracking off / on. */
  diagnosed: Record<Mode, number>
  body: Record<Mode, number>
  diagnose: Record<Mode, number>
  snapshotBytes: number
  groups: string
}

type Mode = 'off' | 'on'
const MODES: Mode[] = ['off', 'on']

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

const dir = mkdtempSync(join(tmpdir(), 'memgate-bench-'))
const started = performance.now()
const loadAtStart = loadavg()
const rows: Row[] = []
let held: unknown
for (const heap of HEAPS) {
  held = undefined
  core.collectGarbage()
  const before = core.readMemory().heap
  held = heap.build()
  core.collectGarbage()
  const heldBytes = core.readMemory().heap - before
  const body = heap.body ?? leakingBody
  const bodies: Record<Mode, number[]> = { off: [], on: [] }
  const diagnoses: Record<Mode, number[]> = { off: [], on: [] }
  let snapshotBytes = 0
  let groups = ''
  const bench = new Bench({
    iterations: heap.rounds,
    time: 0,
    warmupIterations: 0,
    warmupTime: 0,
    retainSamples: true,
  })
  bench.add('bare', () => body(), { afterEach: reset })
  bench.add('measure()', async () => core.measure(body), { afterEach: reset })
  for (const mode of MODES)
    bench.add(
      `diagnosed, sites ${mode}`,
      async () => {
        const tracking = await core.startLeakTracking({ trackAllocations: mode === 'on' })
        try {
          const bodyStart = performance.now()
          body()
          bodies[mode].push(performance.now() - bodyStart)
          const path = join(dir, 'end.heapsnapshot')
          const diagnosis = tracking.diagnose({ snapshotPath: path })
          diagnoses[mode].push(diagnosis.durationMs)
          snapshotBytes = statSync(path).size
          if (mode === 'on')
            groups = diagnosis.groups
              .slice(0, 2)
              .map((group) => {
                const frame = group.sites?.[0]?.stack[0]
                return `${group.kind} ×${group.count}${frame ? ` at ${frame.functionName}` : ''}`
              })
              .join(', ')
        } finally {
          tracking.stop()
        }
      },
      { afterEach: reset },
    )
  await bench.run()
  const time = (name: string) => {
    const result = bench.getTask(name)?.result
    if (result?.state !== 'completed') throw new Error(`${heap.name}: ${name} ended ${result?.state}`)
    const samples = [...(result.latency.samples ?? [])]
    return median(samples)
  }
  const byMode = (pick: (mode: Mode) => number) => ({ off: pick('off'), on: pick('on') })
  rows.push({
    heap: heap.name,
    held: heldBytes,
    bare: time('bare'),
    measured: time('measure()'),
    diagnosed: byMode((mode) => time(`diagnosed, sites ${mode}`)),
    body: byMode((mode) => median(bodies[mode])),
    diagnose: byMode((mode) => median(diagnoses[mode])),
    snapshotBytes,
    groups,
  })
  console.log(rows.at(-1), held === undefined ? '' : 'heap still held')
}
held = undefined
rmSync(dir, { recursive: true, force: true })

const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`)
const ratio = (a: number, b: number) => `${(a / b).toFixed(a / b >= 100 ? 0 : 1)}×`
const section = [
  '<!-- leak-diagnosis:start -->',
  '## Leak diagnosis: what a failing leak check adds',
  '',
  `<!-- Generated by bench/leak-diagnosis.bench.ts on ${new Date().toISOString()}. Rerun it to update this section. -->`,
  '',
  'A "test body" that leaks 2,000 small objects (~140 kB) per call, on a heap that already holds the amount',
  'shown (last row: the same leak in a body that also makes and drops 500,000 small objects), timed in one',
  'run with tinybench: bare; under `measure()` (the leak check every `limitLeaks` test pays); and diagnosed as',
  'a failing `limitLeaks` test is (`startLeakTracking()`: a GC and a heap snapshot to mark what exists; the',
  'body; `diagnose()`: full GC, end snapshot written to disk as `.heapsnapshot`, parsed, grouped, retainer',
  "paths), with V8's allocation tracking off (`trackAllocations: false`, Vitest's `diagnose: { sites: false }`)",
  'and on (the default: each kind gets its allocation site; optimized code is thrown away first, see',
  '`deoptimize`). "Body" is the body alone inside the diagnosed span; "diagnose" is what the failure message',
  'reports as "took". Medians of',
  `${HEAPS.map((heap) => `${heap.rounds}`).join(' / ')} calls per task; the heap "held" is measured after a full GC.`,
  `Machine: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} CPUs, Node ${process.version};`,
  `load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}, at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')} (a shared machine: rerun to see the noise). Whole run: ${ms(performance.now() - started)}.`,
  '',
  '| heap | held | bare | measure() | diagnosed, sites off | diagnosed, sites on | on ÷ off | body, sites off | body, sites on | body on ÷ off | diagnose, off / on | snapshot file | top groups found (sites on) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.map(
    (row) =>
      `| ${row.heap} | ${(row.held / MB).toFixed(1)} MB | ${ms(row.bare)} | ${ms(row.measured)} | ` +
      `${ms(row.diagnosed.off)} | ${ms(row.diagnosed.on)} | ${ratio(row.diagnosed.on, row.diagnosed.off)} | ` +
      `${ms(row.body.off)} | ${ms(row.body.on)} | ${ratio(row.body.on, row.body.off)} | ` +
      `${ms(row.diagnose.off)} / ${ms(row.diagnose.on)} | ${(row.snapshotBytes / MB).toFixed(0)} MB | ${row.groups} |`,
  ),
  '',
  'The cost of a diagnosis follows the number of objects on the heap, not its bytes: two snapshots, each',
  'streamed from V8 as JSON and parsed as it streams. Allocation tracking adds to it: V8 records the stack of',
  'every allocation made in the span and allocates nothing on its fast path, so the body itself runs many',
  'times slower (see "body on ÷ off"), most for a body that allocates a lot, and throwing away optimized code',
  'first costs a little on every diagnosis. All of it is paid only by a failing leak check (`diagnose: false`',
  "skips it all, `diagnose: { sites: false }` the tracking); a Vitest worker holds Vitest's own modules too, so",
  "a diagnosis there starts from a larger heap than the first row's.",
  '<!-- leak-diagnosis:end -->',
].join('\n')

const path = new URL('../BENCHMARKS.md', import.meta.url)
const current = readFileSync(path, 'utf8')
const block = /<!-- leak-diagnosis:start -->[\s\S]*<!-- leak-diagnosis:end -->/
writeFileSync(
  path,
  block.test(current) ? current.replace(block, section) : `${current.trimEnd()}\n\n${section}\n`,
)
console.log(section)
