// What a leak diagnosis costs: a leaking "test body" on a heap that already holds 10 MB or 100 MB, timed bare,
// under measure() (the leak check every limitLeaks test pays) and diagnosed (startLeakTracking's mark, body,
// end snapshot written to disk, analysis: what a failing limitLeaks test adds) with V8's allocation tracking
// off and on (the per-kind allocation sites), all in one run with tinybench; then where the diagnosis's time
// goes, phase by phase, on each of those heaps and in a real Vitest fork worker (bench/worker), against the
// floor V8 sets (generating a snapshot of the heap), and whether the targets are met.
// Run with `node --max-semi-space-size=1 --import tsx bench/leak-diagnosis.bench.ts` after building the
// package; it rewrites its own section of BENCHMARKS.md (between the leak-diagnosis markers): format it with
// `npx biome format --write packages/core/BENCHMARKS.md` afterwards.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Bench } from 'tinybench'
import type * as Core from '../src/index.js'
import {
  type Breakdown,
  diagnosedRound,
  type Floor,
  floor,
  median,
  medians,
  PHASES,
  type Phase,
  type Round,
} from './diagnosis-phases.js'
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
  /** Snapshot generations timed alone for the floor. */
  floorRounds: number
  body?: () => number
}

// Small objects are the hard case (the snapshot's size follows the number of objects); big arrays the easy one.
const BIG = '100 MB of small objects'
const HEAPS: Heap[] = [
  {
    name: '10 MB of small objects',
    build: () => Array.from({ length: 2 }, () => liveObjects(100_000)),
    rounds: 3,
    floorRounds: 3,
  },
  {
    name: BIG,
    build: () => Array.from({ length: 21 }, () => liveObjects(100_000)),
    rounds: 2,
    floorRounds: 2,
  },
  {
    name: '100 MB in 100 arrays of numbers',
    build: () => Array.from({ length: 100 }, () => new Array(125_000).fill(0.5)),
    rounds: 2,
    floorRounds: 2,
  },
  {
    name: '10 MB of small objects, a body that also makes 500,000 short-lived objects',
    build: () => Array.from({ length: 2 }, () => liveObjects(100_000)),
    rounds: 3,
    floorRounds: 2,
    body: churningBody,
  },
]

/** Rounds per mode in the Vitest worker. */
const WORKER_ROUNDS = 5
const WORKER = 'Vitest fork worker (its own heap)'

/** The targets of issue 17 ("Speed"): what mark + body + diagnose may take. */
const TARGETS = [
  { heap: WORKER, ms: 1000, label: '≤ 1 s in a typical Vitest worker' },
  { heap: BIG, ms: 5000, label: '≤ 5 s on 100 MB in 2 M small objects' },
]

interface Row {
  heap: string
  held: number
  bare: number
  measured: number
  /** By allocation tracking off / on: the whole task (mark, body, diagnose). */
  diagnosed: Record<Mode, number>
  floor: Floor
  rounds: Round[]
}

type Mode = 'off' | 'on'
const MODES: Mode[] = ['off', 'on']

const dir = mkdtempSync(join(tmpdir(), 'memgate-bench-'))
const snapshotPath = join(dir, 'end.heapsnapshot')
const started = performance.now()
const loadAtStart = loadavg()

// The Vitest worker first, while this process is still small: its own process, its own heap.
const workerOut = join(dir, 'worker.json')
execFileSync(
  fileURLToPath(new URL('../node_modules/.bin/vitest', import.meta.url)),
  ['run', '--root', fileURLToPath(new URL('./worker/', import.meta.url))],
  {
    env: {
      ...process.env,
      MEMGATE_PHASES_OUT: workerOut,
      MEMGATE_PHASES_ROUNDS: String(WORKER_ROUNDS),
      MEMGATE_PHASES_DIR: dir,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
)
const worker = JSON.parse(readFileSync(workerOut, 'utf8')) as Breakdown
console.log(WORKER, { ...worker, rounds: worker.rounds.length })

const rows: Row[] = []
let held: unknown
for (const heap of HEAPS) {
  held = undefined
  core.collectGarbage()
  const before = core.readMemory().heap
  held = heap.build()
  core.collectGarbage()
  const heldBytes = core.readMemory().heap - before
  const floorOfHeap = floor(heap.floorRounds)
  const body = heap.body ?? leakingBody
  const rounds: Round[] = []
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
        rounds.push(await diagnosedRound(body, mode === 'on', snapshotPath))
      },
      { afterEach: reset },
    )
  await bench.run()
  const time = (name: string) => {
    const result = bench.getTask(name)?.result
    if (result?.state !== 'completed')
      throw new Error(`${heap.name}: ${name} ended ${result?.state}`, {
        cause: (result as { error?: unknown })?.error,
      })
    return median([...(result.latency.samples ?? [])])
  }
  rows.push({
    heap: heap.name,
    held: heldBytes,
    bare: time('bare'),
    measured: time('measure()'),
    diagnosed: { off: time('diagnosed, sites off'), on: time('diagnosed, sites on') },
    floor: floorOfHeap,
    rounds,
  })
  console.log(
    heap.name,
    { ...rows.at(-1), rounds: rounds.length },
    held === undefined ? '' : 'heap still held',
  )
}
held = undefined
rmSync(dir, { recursive: true, force: true })

const ms = (value: number) =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 10 ? 0 : 1)} ms`
const ratio = (a: number, b: number) => `${(a / b).toFixed(a / b >= 100 ? 0 : 1)}×`
const count = (value: number) =>
  value >= 1e6 ? `${(value / 1e6).toFixed(1)} M` : `${Math.round(value / 1000).toLocaleString('en-US')} k`

/** `diagnose()`'s phases in the breakdown table, in order (the mark is the whole `startLeakTracking()`). */
const COLUMNS: [Phase, string][] = [
  ['snapshot', 'V8 writes the snapshot'],
  ['parse', 'parse'],
  ['retainers', 'retainers'],
  ['groups', 'groups'],
  ['sites', 'sites'],
  ['paths', 'paths'],
  ['names', 'names'],
]
if (COLUMNS.length !== PHASES.length - 1) throw new Error('a phase of diagnose() has no column')

/** A Markdown table's header and separator: the first two columns left, the others right. */
function table(titles: string[]): string[] {
  return [`| ${titles.join(' | ')} |`, `| ${titles.map((_, at) => (at < 2 ? '---' : '---:')).join(' | ')} |`]
}

interface BreakdownRow {
  heap: string
  floor: Floor
  rounds: Round[]
}
const breakdowns: BreakdownRow[] = [
  { heap: WORKER, floor: worker, rounds: worker.rounds },
  ...rows.map((row) => ({ heap: row.heap, floor: row.floor, rounds: row.rounds })),
]

const breakdownLines = breakdowns.flatMap(({ heap, floor: floorOfHeap, rounds }) =>
  [true, false].map((sites) => {
    const m = medians(rounds, sites)
    const phases = COLUMNS.map(([phase]) => ms(m.phases[phase]))
    // memgate's own: parsing and the analysis (the mark and the snapshot are V8's walks and V8's snapshot).
    const own = m.phases.parse + m.phases.retainers + m.phases.groups + m.phases.sites + m.phases.paths
    return (
      `| ${heap} | ${sites ? 'on' : 'off'} | ${count(m.nodes)} / ${count(m.edges)} | ${(m.snapshotBytes / MB).toFixed(0)} MB | ` +
      `${ms(floorOfHeap.gcMs)} | ${ms(floorOfHeap.generationMs)} | ${ms(m.startMs)} | ${ms(m.bodyMs)} | ` +
      `${phases.join(' | ')} | ${ms(m.diagnoseMs)} | **${ms(m.totalMs)}** | ${ms(own + m.phases.names)} |`
    )
  }),
)

/** What a diagnosis spent, by whose work it is: medians of each phase over the calls. */
function parts(m: ReturnType<typeof medians>) {
  const { parse, retainers, groups, sites, paths, names } = m.phases
  return { own: parse + retainers + groups + sites + paths + names, written: m.phases.snapshot }
}

/**
 * Each target as one line: the target, the median total with sites on (the default) and its range, met or
 * missed, and for a miss the measured reason: V8 writing the one end snapshot alone over the target (V8's
 * floor), or what memgate adds on top of it.
 */
const targetLines = TARGETS.map((target) => {
  const found = breakdowns.find((row) => row.heap === target.heap)
  if (!found) throw new Error(`no breakdown for ${target.heap}`)
  const [on, off] = [medians(found.rounds, true), medians(found.rounds, false)]
  const { own, written } = parts(on)
  const measured =
    `measured ${ms(on.totalMs)} (median of ${on.rounds} calls with sites on, the default; ` +
    `${ms(on.totalRange[0])} – ${ms(on.totalRange[1])}; sites off ${ms(off.totalMs)})`
  const split =
    `Medians of its parts: V8 writing the end snapshot ${ms(written)} (generating one alone: ` +
    `${ms(found.floor.generationMs)}), the mark (V8's walks of the heap) ${ms(on.startMs)}, memgate's own ` +
    `part (parse, analysis, names) ${ms(own)}, the body ${ms(on.bodyMs)}`
  if (on.totalMs <= target.ms) return `- **${target.label}**: ${measured}: **met**. ${split}.`
  const reason =
    written > target.ms
      ? "V8's floor: writing the one end snapshot alone takes longer than the target, before any of memgate's own part"
      : written + on.startMs > target.ms
        ? "V8's part: the end snapshot and the mark's walks of the heap together take longer than the target"
        : `memgate's own part on top of V8's: V8's snapshot and walks take ${ms(written + on.startMs)}, under the target`
  return `- **${target.label}**: ${measured}: **missed**. Why, as measured: ${reason}. ${split}.`
})

const section = [
  '<!-- leak-diagnosis:start -->',
  '## Leak diagnosis: what a failing leak check adds',
  '',
  `<!-- Generated by bench/leak-diagnosis.bench.ts on ${new Date().toISOString()}. Rerun it to update this section. -->`,
  '',
  'A "test body" that leaks 2,000 small objects (~140 kB) per call, on a heap that already holds the amount',
  'shown (last row: the same leak in a body that also makes and drops 500,000 small objects), timed in one',
  'run with tinybench: bare; under `measure()` (the leak check every `limitLeaks` test pays); and diagnosed as',
  'a failing `limitLeaks` test is (`startLeakTracking()`: the mark; the body; `diagnose()`: the end snapshot',
  "written to disk as `.heapsnapshot`, parsed, grouped, retainer paths), with V8's allocation tracking off",
  "(`trackAllocations: false`, Vitest's `diagnose: { sites: false }`, whose mark is a heap snapshot of which",
  'only the ids are read) and on (the default: each kind gets its allocation site; the mark is two walks of the',
  "heap by V8's object tracking; optimized code is thrown away first, see `deoptimize`). Medians of",
  `${HEAPS.map((heap) => `${heap.rounds}`).join(' / ')} calls per task; the heap "held" is measured after a full GC.`,
  `Machine: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} CPUs, Node ${process.version};`,
  `load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}, at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')} (a shared machine: rerun to see the noise). Whole run: ${ms(performance.now() - started)}.`,
  '',
  '| heap | held | bare | measure() | diagnosed, sites off | diagnosed, sites on | on ÷ off | top groups found (sites on) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.map(
    (row) =>
      `| ${row.heap} | ${(row.held / MB).toFixed(1)} MB | ${ms(row.bare)} | ${ms(row.measured)} | ` +
      `${ms(row.diagnosed.off)} | ${ms(row.diagnosed.on)} | ${ratio(row.diagnosed.on, row.diagnosed.off)} | ` +
      `${medians(row.rounds, true).groups} |`,
  ),
  '',
  '### Where the time goes',
  '',
  `The same diagnosed calls phase by phase (medians), and in a real Vitest fork worker (\`bench/worker\`: ${WORKER_ROUNDS}`,
  `calls per mode on the worker's own heap, ${(worker.heapUsed / MB).toFixed(1)} MB used after a full GC). Beside them, what`,
  'V8 takes on that heap whatever memgate does: one full GC, and generating a snapshot of it alone',
  '(`v8.getHeapSnapshot()`, its stream never read). "Mark" is the whole `startLeakTracking()`; the others are',
  "`diagnose()`'s phases: V8 writing the end snapshot (its own full GCs until one frees nothing more, the",
  'graph, the JSON written to the file), reading it back into typed arrays, the shortest retainer paths of',
  'every node (one breadth-first search), the new objects by kind, their allocation sites, the top five',
  'retainer paths, and the names of block-scope variables asked of the live heap (once per scope on those',
  'paths: V8 finding an object by its id walks the whole heap; a scope whose every slot holds an object, as',
  "the worker's test module's do, is named from the snapshot alone, and one with a small integer in a slot",
  'is asked: ~90–130 ms in this worker). "Total" is mark + body + diagnose, what the',
  'diagnosis adds to a failing test; "memgate\'s own" is parse, analysis and names, the rest being V8\'s walks',
  'and snapshot.',
  '',
  ...table([
    'heap',
    'sites',
    'nodes / edges',
    'snapshot file',
    'full GC',
    'V8 snapshot generation alone',
    'mark',
    'body',
    ...COLUMNS.map(([, title]) => title),
    'diagnose',
    'total',
    "memgate's own",
  ]),
  ...breakdownLines,
  '',
  '### Targets',
  '',
  ...targetLines,
  '',
  'A diagnosis needs one snapshot of the whole heap at its end: the kinds of the objects left behind and the',
  "retainer paths that hold them come from the graph of every object, and V8's heap snapshot is the only",
  'thing that gives it (the sampling profiler has stacks but no kinds and no holders; `queryObjects` needs a',
  'prototype to look for). V8 generating that snapshot follows the number of objects, not their bytes',
  '(compare the 100 MB of arrays), and writing it out adds the JSON serialization, which the `.heapsnapshot`',
  "for DevTools needs and memgate's own reading of the graph too (V8 gives the graph out no other way): V8",
  'writing the one end snapshot is the floor of any diagnosis by these definitions. What memgate adds on top',
  "is the mark (V8's walks of the heap, or with sites off a snapshot of which only the ids are read), reading",
  'the file back (its numbers by a WebAssembly loop straight into typed arrays; its strings kept as bytes, each',
  "decoded when a path or a kind first reads it), and the analysis. With sites on, V8's allocation tracking",
  'stays on until the tracking stops (V8 cannot end it without forgetting the object ids the live names need),',
  "so what the diagnosis allocates itself goes through V8's slow path (a stack trace each): that is why the",
  "table's strings are not all made (most of the parse with sites on, before). Allocation tracking",
  'also slows the body itself (last row). All of it is paid only by a failing leak check (`diagnose: false`',
  "skips it all, `diagnose: { sites: false }` the tracking). The worker row is a plain fork worker (Vitest's",
  "modules, the test file, memgate's core); one that runs memgate's plugin and a real suite holds more, and",
  "V8's part grows with it. On this shared 2-core machine V8's own part moves with the load of other processes",
  'by a factor of up to two from one run to the next, which is enough to move the Vitest worker across its',
  'target: the range says how far the calls of this run spread.',
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
