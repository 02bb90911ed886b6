// The iterators' comparison table, for 1,000,000 steps: time per run (tinybench, this process, Node's
// defaults) and memory (memgate's measure(), in a child started with --max-semi-space-size=1). The caching
// iterator cannot go that far — it would hold tens of GB — so it is measured at 10k/20k/40k steps and its
// 1,000,000-step figures are extrapolated from a quadratic fit, and labelled so; it is also measured at
// 100k and 200k steps (1.7 GB), left out of the fit, and the fit's error there is printed.
//   node --import tsx bench/iterators.bench.ts      (from examples/fibonacci; prints a Markdown section)
import { measure } from '@memgate/core'
import { CachingFibonacciIterator } from '../src/iterators/caching.js'
import type { FibonacciIterator } from '../src/iterators/iterator.js'
import { MemoryGuardedFibonacciIterator } from '../src/iterators/memory-guarded.js'
import { TwoValueFibonacciIterator } from '../src/iterators/two-value.js'
import { UnifiedFibonacciIterator } from '../src/iterators/unified.js'
import {
  answer,
  childRequest,
  fitQuadratic,
  formatError,
  formatMs,
  formatRatio,
  formatSize,
  machine,
  progress,
  runChild,
  table,
  timeRuns,
} from './shared.js'

const STEPS = 1_000_000
/** The caching iterator's walks the fit goes through, and those it is checked against (left out of it). */
const CACHING_STEPS = [10_000, 20_000, 40_000]
const HELD_OUT_STEPS = [100_000, 200_000]
const GUARD_BUDGET = '64 MB'
/** Walks this long are sampled every 1 MiB allocated rather than every 32 KiB. */
const SPARSE_SAMPLING_FROM = 100_000
/** Timed runs: a 1,000,000-step run of the two-value iterator takes ~10 s, so those rows skip the warm-up. */
const RUNS = { twoValue: 2, guarded: 3, caching: 5, heldOut: 3 }

interface Memory {
  peak: number
  allocated: number
  held: number
  resets?: number
}

function walk(iterator: FibonacciIterator, steps: number): bigint {
  let last = 0n
  for (let i = 0; i < steps; i++) last = iterator.next().value
  return last
}

const makers: Record<string, () => FibonacciIterator> = {
  'two-value': () => new TwoValueFibonacciIterator(),
  'memory-guarded': () => new MemoryGuardedFibonacciIterator({ budget: GUARD_BUDGET }),
  unified: () => new UnifiedFibonacciIterator({ budget: GUARD_BUDGET }),
  caching: () => new CachingFibonacciIterator(),
}

/** In the child: one measurement of one iterator, the iterator kept alive so what it holds counts. */
async function measureOne(key: string): Promise<Memory> {
  const [kind = '', steps = String(STEPS)] = key.split(':')
  const make = makers[kind]
  if (!make) throw new Error(`Unknown iterator ${kind}`)
  const iterator = make()
  // 1,000,000 steps allocate tens of GB: sampling every 1 MiB there, as the default 32 KiB would take a
  // million stack samples (the estimate stays unbiased, only coarser). The short walks keep the default.
  const sampling = Number(steps) >= SPARSE_SAMPLING_FROM ? { interval: 2 ** 20 } : {}
  const m = await measure(() => walk(iterator, Number(steps)), { sampling })
  const resets =
    iterator instanceof MemoryGuardedFibonacciIterator || iterator instanceof UnifiedFibonacciIterator
      ? iterator.resets
      : undefined
  iterator.next() // still reachable when `leaked` was read
  return { peak: m.peak, allocated: m.allocated, held: m.leaked, ...(resets === undefined ? {} : { resets }) }
}

const request = childRequest<string>()
if (request !== undefined) {
  answer(await measureOne(request))
} else {
  const started = performance.now()
  const script = new URL(import.meta.url)

  progress(`two-value, ${STEPS.toLocaleString('en')} steps: ${RUNS.twoValue} timed runs…`)
  const twoTime = await timeRuns(
    'two-value',
    () => walk(new TwoValueFibonacciIterator(), STEPS),
    RUNS.twoValue,
    false,
  )
  const twoMemory = runChild<Memory>(script, `two-value:${STEPS}`)

  progress(`memory-guarded, ${STEPS.toLocaleString('en')} steps: ${RUNS.guarded} timed runs…`)
  const guardTime = await timeRuns(
    'memory-guarded',
    () => walk(new MemoryGuardedFibonacciIterator({ budget: GUARD_BUDGET }), STEPS),
    RUNS.guarded,
    false,
  )
  const guardMemory = runChild<Memory>(script, `memory-guarded:${STEPS}`)

  progress(`unified, ${STEPS.toLocaleString('en')} steps: ${RUNS.guarded} timed runs…`)
  const unifiedTime = await timeRuns(
    'unified',
    () => walk(new UnifiedFibonacciIterator({ budget: GUARD_BUDGET }), STEPS),
    RUNS.guarded,
    false,
  )
  const unifiedMemory = runChild<Memory>(script, `unified:${STEPS}`)

  const caching: { steps: number; ms: number; runs: number; memory: Memory; fitted: boolean }[] = []
  for (const steps of [...CACHING_STEPS, ...HELD_OUT_STEPS]) {
    const fitted = CACHING_STEPS.includes(steps)
    const runs = fitted ? RUNS.caching : RUNS.heldOut
    progress(`caching, ${steps.toLocaleString('en')} steps: ${runs} timed runs…`)
    const time = await timeRuns(`caching ${steps}`, () => walk(new CachingFibonacciIterator(), steps), runs)
    const memory = runChild<Memory>(script, `caching:${steps}`)
    caching.push({ steps, ms: time.medianMs, runs: time.runs, memory, fitted })
  }
  type Point = (typeof caching)[number]
  const fits = (pick: (point: Point) => number) =>
    fitQuadratic(caching.filter((p) => p.fitted).map((point) => ({ n: point.steps, y: pick(point) })))
  const fit = {
    ms: fits((p) => p.ms),
    peak: fits((p) => p.memory.peak),
    allocated: fits((p) => p.memory.allocated),
    held: fits((p) => p.memory.held),
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
    peak: fit.peak(point.steps) / point.memory.peak - 1,
  })
  const heldOut = caching.filter((p) => !p.fitted).map(fitError)
  const worst = (pick: (error: { ms: number; peak: number }) => number) =>
    formatError(heldOut.reduce((a, e) => (Math.abs(pick(e)) > Math.abs(a) ? pick(e) : a), 0))

  const base = { ms: twoTime.medianMs, peak: twoMemory.peak }
  // Ratios only between rows of the same number of steps: the measured caching rows get none.
  const row = (
    label: string,
    ms: number,
    memory: Omit<Memory, 'resets'>,
    note: string,
    ratios = true,
    error = '–',
  ) => [
    label,
    formatMs(ms),
    ratios ? formatRatio(ms / base.ms) : '–',
    formatSize(memory.peak),
    ratios ? formatRatio(memory.peak / base.peak) : '–',
    formatSize(memory.allocated),
    formatSize(memory.held),
    error,
    note,
  ]
  const steps = STEPS.toLocaleString('en')
  const rows = [
    row(`two-value, ${steps} steps`, twoTime.medianMs, twoMemory, `baseline; median of ${twoTime.runs} runs`),
    row(
      `memory-guarded (budget ${GUARD_BUDGET}), ${steps} steps`,
      guardTime.medianMs,
      guardMemory,
      `median of ${guardTime.runs} runs; started over ${guardMemory.resets ?? 0} times`,
    ),
    row(
      `unified (budget ${GUARD_BUDGET}, one class), ${steps} steps`,
      unifiedTime.medianMs,
      unifiedMemory,
      `median of ${unifiedTime.runs} runs; started over ${unifiedMemory.resets ?? 0} times; ` +
        `${formatRatio(unifiedTime.medianMs / guardTime.medianMs)} memory-guarded's time`,
    ),
    row(
      `**caching, ${steps} steps — extrapolated**`,
      extrapolated.ms,
      extrapolated,
      `**not run**: fit a·n² + b·n through the ${CACHING_STEPS.length} fitted rows below; off by up to ` +
        `${worst((e) => e.peak)} (peak) and ${worst((e) => e.ms)} (time) at the ${heldOut.length} held-out ` +
        `rows; the time assumes the cache fitted in memory`,
    ),
    ...caching.map((point) => {
      const error = fitError(point)
      return row(
        `caching, ${point.steps.toLocaleString('en')} steps (measured${point.fitted ? ', fitted' : ', held out'})`,
        point.ms,
        point.memory,
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
      `Time: tinybench, median of the runs given (the caching rows after one warm-up run; the 1,000,000-step rows without, a run lasting seconds), Node's default heap settings. Memory: ` +
        `memgate's \`measure()\` around one walk, in a fresh process started with \`--max-semi-space-size=1\`; ` +
        `peak and "held at the end" (still reachable after a full GC, the iterator alive) are above the start; ` +
        `"allocated" is estimated by V8's sampling heap profiler (every 1 MiB allocated for the 1,000,000-step ` +
        `rows, every 32 KiB for the others). Ratios are against the two-value row of the same run. ` +
        `The fit's error at a measured row is (fit − measured) / measured: small at the rows it goes through, ` +
        `the test of it at the held-out rows, which it did not see. ` +
        `${machine()}; the whole benchmark took ${seconds} s.`,
    ].join('\n'),
  )
}
