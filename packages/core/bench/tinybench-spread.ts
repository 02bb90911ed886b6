// The spread of withMemory()'s figures over repeated runs: test/fixtures/bench/two-tasks.bench.ts run RUNS
// times, each in a fresh process as a user runs it, and a Markdown table of each figure's range.
//   node --import tsx bench/tinybench-spread.ts [runs]      (from packages/core; prints Markdown for the README)
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { machine } from '@memgate/test-utils/machine'
import { markdownTable } from '@memgate/test-utils/markdown-table'
import { formatSize } from '../src/index.js'
import type { TaskMemory } from '../src/tinybench.js'

const RUNS = Number(process.argv[2] ?? 5)
const FIXTURE = fileURLToPath(new URL('../test/fixtures/bench/two-tasks.bench.ts', import.meta.url))
const FIGURES = ['allocatedPerOp', 'peak', 'retained', 'retainedPerOp'] as const
const LABELS = {
  allocatedPerOp: 'allocated / op',
  peak: 'peak',
  retained: 'retained',
  retainedPerOp: 'retained / op',
}

type Figures = TaskMemory & { retainedPerOp: number }
const runs: Record<string, Figures>[] = []
const started = performance.now()
for (let run = 0; run < RUNS; run++) {
  process.stderr.write(`run ${run + 1} of ${RUNS}…\n`)
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  })
  const output = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
    tasks: { name: string; result: { memory: TaskMemory } }[]
  }
  runs.push(
    Object.fromEntries(
      output.tasks.map(({ name, result: { memory } }) => [
        name,
        { ...memory, retainedPerOp: memory.retained / memory.iterations },
      ]),
    ),
  )
}

const rows: string[][] = []
for (const task of Object.keys(runs[0] ?? {}))
  for (const figure of FIGURES) {
    const values = runs.map((run) => run[task]?.[figure] ?? Number.NaN)
    const low = Math.min(...values)
    const high = Math.max(...values)
    const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
    rows.push([
      task,
      LABELS[figure],
      formatSize(median),
      `${formatSize(low)} – ${formatSize(high)}`,
      median > 0 ? `${(((high - low) / median) * 100).toFixed(1)}%` : '–',
    ])
  }
const ratios = runs.map((run) => (run.heavy?.allocatedPerOp ?? 0) / (run.light?.allocatedPerOp ?? 1))
console.log(markdownTable(['task', 'figure', 'median', 'range', 'spread (range ÷ median)'], rows))
console.log(
  `\nheavy ÷ light allocated per operation: ${ratios.map((r) => r.toFixed(1)).join(', ')}. "retained" is what all the calls of the memory pass kept, and the pass makes as many calls as the timing did, which varies with the machine's speed: so retained / op is the figure to compare. ${RUNS} runs of ` +
    `test/fixtures/bench/two-tasks.bench.ts (tinybench time 100 ms per task), each a fresh \`node --import tsx\` ` +
    `process whose tasks' memory passes ran in children; ${machine()}; ${((performance.now() - started) / 1000).toFixed(0)} s.`,
)
