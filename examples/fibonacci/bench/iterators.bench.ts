// The iterators' comparison table, for 1,000,000 steps, from memgate's withMemory(bench): tinybench times each
// walk in this process (Node's default heap settings), then each task's memory pass — one walk — runs in a
// child started with --max-semi-space-size=1 (this script again; it builds the same benches in the same
// order). The caching iterator cannot go that far — it would hold tens of GB — so it is measured at
// 10k/20k/40k steps and its 1,000,000-step figures are extrapolated from a quadratic fit, and labelled so; it
// is also measured at 100k and 200k steps (1.7 GB), left out of the fit, and the fit's error there is printed.
//   node --import tsx bench/iterators.bench.ts      (from examples/fibonacci; prints a Markdown section)
import { collectGarbage } from '@memgate/core'
import { withMemory } from '@memgate/core/tinybench'
import { Bench, type Task } from 'tinybench'
import { CachingFibonacciIterator } from '../src/iterators/caching.js'
import type { FibonacciIterator } from '../src/iterators/iterator.js'
import { MemoryGuardedFibonacciIterator } from '../src/iterators/memory-guarded.js'
import { TwoValueFibonacciIterator } from '../src/iterators/two-value.js'
import { UnifiedFibonacciIterator } from '../src/iterators/unified.js'
import {
  fitQuadratic,
  formatError,
  formatMs,
  formatRatio,
  formatSize,
  machine,
  progress,
  table,
} from './shared.js'

const STEPS = 1_000_000
/** The caching iterator's walks the fit goes through, and those it is checked against (left out of it). */
const CACHING_STEPS = [10_000, 20_000, 40_000]
const HELD_OUT_STEPS = [100_000, 200_000]
const GUARD_BUDGET = '64 MB'
/** Timed runs: a 1,000,000-step run of the two-value iterator takes ~10 s, so those rows skip the warm-up. */
const RUNS = { twoValue: 2, guarded: 3, caching: 5, heldOut: 3 }

/**
 * The iterator of the last walk, kept reachable: in a memory pass, `retained` is then what it holds ("held at
 * the end"); after the timing, it is the last timed run's iterator, whose reset count the notes quote.
 */
const last: { iterator?: FibonacciIterator } = {}
/** Each guarded task's resets in its last timed walk, by task name (read in this process, not a child's). */
const resets = new Map<string, number>()

function walker(make: () => FibonacciIterator, steps: number, name?: string): () => bigint {
  return () => {
    const iterator = make()
    last.iterator = iterator
    let value = 0n
    for (let i = 0; i < steps; i++) value = iterator.next().value
    if (name && 'resets' in iterator) resets.set(name, Number(iterator.resets))
    return value
  }
}

/**
 * One bench per row group (its runs and warm-up shared); memory: one walk per pass, no warm-up walk, and the
 * sampling heap profiler every 1 MiB on the long walks (tens of GB allocated) — none of the figures come from
 * it.
 */
function group(runs: number, warmup: boolean, long: boolean): Bench {
  return withMemory(
    new Bench({
      iterations: runs,
      time: 0,
      warmup,
      warmupIterations: 1,
      warmupTime: 0,
      throws: true,
      setup: () => collectGarbage(),
    }),
    { iterations: 1, warmup: 0, ...(long && { samplingInterval: '1 MiB' }) },
  )
}

/**
 * Said, not detected: tinybench calls a task's function once when it is added to find out whether it is async,
 * which here would walk every row once at start-up — in each measuring child too — and leave that walk's
 * iterator in `last`, where it would be freed during the next memory pass rather than counted.
 */
const SYNC = { async: false }

const started = performance.now()
const steps = STEPS.toLocaleString('en')
const twoValue = group(RUNS.twoValue, false, true).add(
  'two-value',
  walker(() => new TwoValueFibonacciIterator(), STEPS),
  SYNC,
)
const guarded = group(RUNS.guarded, false, true)
  .add(
    'memory-guarded',
    walker(() => new MemoryGuardedFibonacciIterator({ budget: GUARD_BUDGET }), STEPS, 'memory-guarded'),
    SYNC,
  )
  .add(
    'unified',
    walker(() => new UnifiedFibonacciIterator({ budget: GUARD_BUDGET }), STEPS, 'unified'),
    SYNC,
  )
const fitted = group(RUNS.caching, true, false)
for (const n of CACHING_STEPS)
  fitted.add(
    `caching ${n}`,
    walker(() => new CachingFibonacciIterator(), n),
    SYNC,
  )
const heldOutBench = group(RUNS.heldOut, true, true)
for (const n of HELD_OUT_STEPS)
  heldOutBench.add(
    `caching ${n}`,
    walker(() => new CachingFibonacciIterator(), n),
    SYNC,
  )

// Every bench runs before any figure is read: a measuring child runs this script to the bench it was asked
// for, whose run() ends the process, and the benches before it return without results.
for (const [label, bench] of [
  [`two-value, ${steps} steps: ${RUNS.twoValue} timed runs`, twoValue],
  [`memory-guarded and unified, ${steps} steps: ${RUNS.guarded} timed runs each`, guarded],
  [`caching, ${CACHING_STEPS.join('/')} steps: ${RUNS.caching} timed runs each`, fitted],
  [`caching, ${HELD_OUT_STEPS.join('/')} steps: ${RUNS.heldOut} timed runs each`, heldOutBench],
] as const) {
  progress(`${label}, then a memory pass each in a child…`)
  await bench.run()
}
delete last.iterator

interface Figures {
  ms: number
  runs: number
  peak: number
  allocated: number
  held: number
}

function figures(bench: Bench, name: string): Figures {
  const task: Task | undefined = bench.getTask(name)
  const result = task?.result
  if (result?.state !== 'completed') throw new Error(`${name}: ${result?.state ?? 'no result'}`)
  if (!result.memory) throw new Error(`${name}: no memory figures`)
  const { peak, allocatedPerOp, retained } = result.memory
  return {
    ms: result.latency.p50,
    runs: result.latency.samplesCount,
    peak,
    allocated: allocatedPerOp,
    held: retained,
  }
}

const two = figures(twoValue, 'two-value')
const guard = figures(guarded, 'memory-guarded')
const unified = figures(guarded, 'unified')
const caching = [
  ...CACHING_STEPS.map((n) => ({ steps: n, fitted: true, ...figures(fitted, `caching ${n}`) })),
  ...HELD_OUT_STEPS.map((n) => ({ steps: n, fitted: false, ...figures(heldOutBench, `caching ${n}`) })),
]
type Point = (typeof caching)[number]
const fits = (pick: (point: Point) => number) =>
  fitQuadratic(caching.filter((p) => p.fitted).map((point) => ({ n: point.steps, y: pick(point) })))
const fit = {
  ms: fits((p) => p.ms),
  peak: fits((p) => p.peak),
  allocated: fits((p) => p.allocated),
  held: fits((p) => p.held),
}
const extrapolated = {
  ms: fit.ms(STEPS),
  peak: fit.peak(STEPS),
  allocated: fit.allocated(STEPS),
  held: fit.held(STEPS),
}
/** The fit's error at a measured point, for time and peak: (fit − measured) / measured. */
const fitError = (point: Point) => ({
  ms: fit.ms(point.steps) / point.ms - 1,
  peak: fit.peak(point.steps) / point.peak - 1,
})
const heldOut = caching.filter((p) => !p.fitted).map(fitError)
const worst = (pick: (error: { ms: number; peak: number }) => number) =>
  formatError(heldOut.reduce((a, e) => (Math.abs(pick(e)) > Math.abs(a) ? pick(e) : a), 0))

// Ratios only between rows of the same number of steps: the measured caching rows get none.
const row = (label: string, f: Omit<Figures, 'runs'>, note: string, ratios = true, error = '–') => [
  label,
  formatMs(f.ms),
  ratios ? formatRatio(f.ms / two.ms) : '–',
  formatSize(f.peak),
  ratios ? formatRatio(f.peak / two.peak) : '–',
  formatSize(f.allocated),
  formatSize(f.held),
  error,
  note,
]
const startedOver = (name: string) => `started over ${resets.get(name) ?? 0} times in its last timed run`
const rows = [
  row(`two-value, ${steps} steps`, two, `baseline; median of ${two.runs} runs`),
  row(
    `memory-guarded (budget ${GUARD_BUDGET}), ${steps} steps`,
    guard,
    `median of ${guard.runs} runs; ${startedOver('memory-guarded')}`,
  ),
  row(
    `unified (budget ${GUARD_BUDGET}, one class), ${steps} steps`,
    unified,
    `median of ${unified.runs} runs; ${startedOver('unified')}; ` +
      `${formatRatio(unified.ms / guard.ms)} memory-guarded's time`,
  ),
  row(
    `**caching, ${steps} steps — extrapolated**`,
    extrapolated,
    `**not run**: fit a·n² + b·n through the ${CACHING_STEPS.length} fitted rows below; off by up to ` +
      `${worst((e) => e.peak)} (peak) and ${worst((e) => e.ms)} (time) at the ${heldOut.length} held-out ` +
      `rows; the time assumes the cache fitted in memory`,
  ),
  ...caching.map((point) => {
    const error = fitError(point)
    return row(
      `caching, ${point.steps.toLocaleString('en')} steps (measured${point.fitted ? ', fitted' : ', held out'})`,
      point,
      `median of ${point.runs} runs`,
      false,
      `${formatError(error.ms)} / ${formatError(error.peak)}`,
    )
  }),
]
const seconds = ((performance.now() - started) / 1000).toFixed(0)
console.log(
  [
    table(
      [
        'iterator',
        'time / run',
        'time vs two-value',
        'peak',
        'peak vs two-value',
        'allocated',
        'held at the end',
        "fit's error (time / peak)",
        'runs, notes',
      ],
      rows,
    ),
    '',
    "Measured with memgate's `withMemory(bench)` (`@memgate/core/tinybench`), one tinybench `Bench` per row " +
      'group. Time: tinybench, median of the runs given (the caching rows after one warm-up run; the ' +
      "1,000,000-step rows without, a run lasting seconds), in this process with Node's default heap settings. " +
      "Memory: each task's memory pass, one walk with no warm-up, in a child process started with " +
      '`--max-semi-space-size=1` (`result.memory`): peak and "held at the end" (`retained`: still reachable ' +
      'after a full GC, the iterator alive) are above the start; "allocated" (`allocatedPerOp`, of one walk) is ' +
      "summed from V8's GC statistics. The guarded iterators' reset counts are from their last timed run, " +
      "in this process: a child's iterator cannot be asked. Ratios are against the two-value row of the same " +
      "run. The fit's error at a measured row is (fit − measured) / measured: small at the rows it goes " +
      'through, the test of it at the held-out rows, which it did not see. ' +
      `${machine()}; the whole benchmark took ${seconds} s.`,
  ].join('\n'),
)
