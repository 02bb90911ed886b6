// What the two benchmarks share: timing with tinybench in this process, measuring memory with memgate in a
// child process started the way memgate measures (a pinned young generation), and writing Markdown.
import { execFileSync } from 'node:child_process'
import { cpus, release } from 'node:os'
import { fileURLToPath } from 'node:url'
import { collectGarbage, formatSize, YOUNG_GENERATION_FLAGS, youngGeneration } from '@memgate/core'
import { Bench } from 'tinybench'

/** The example's directory: benchmarks are run from there. */
export const exampleRoot = fileURLToPath(new URL('..', import.meta.url))

/** The argument a benchmark gets when it runs as the memory-measuring child. */
const MEMORY_FLAG = '--memory'

/** The key of the measurement this process was started to make, if it is the memory-measuring child. */
export function memoryRequest(): string | undefined {
  const at = process.argv.indexOf(MEMORY_FLAG)
  if (at < 0) return undefined
  if (!youngGeneration().pinned) {
    throw new Error(`The memory child must start with ${YOUNG_GENERATION_FLAGS.join(' ')}`)
  }
  return process.argv[at + 1]
}

/** The child's answer: printed as one JSON line on stdout, read back by `measureInChild`. */
export function answer(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

/**
 * Runs `script` again in a fresh Node process with memgate's young-generation flags and `--memory key`,
 * and returns the JSON it answered. One process per measurement: nothing one leaves behind skews the next.
 */
export function measureInChild<T>(script: URL, key: string): T {
  const output = execFileSync(
    process.execPath,
    [...YOUNG_GENERATION_FLAGS, '--import', 'tsx', fileURLToPath(script), MEMORY_FLAG, key],
    { cwd: exampleRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 2 ** 20 },
  )
  const line = output.trim().split('\n').at(-1) ?? ''
  return JSON.parse(line) as T
}

/** Times `fn` with tinybench: `iterations` runs after one warm-up run, each from a collected heap. */
export async function timeRuns(
  name: string,
  fn: () => unknown,
  iterations: number,
  warmup = true,
): Promise<{ medianMs: number; runs: number }> {
  const bench = new Bench({
    name,
    iterations,
    time: 0,
    warmup,
    warmupIterations: 1,
    warmupTime: 0,
    throws: true,
    retainSamples: true,
    setup: () => collectGarbage(),
  })
  bench.add(name, fn)
  await bench.run()
  const [task] = bench.tasks
  const result = task?.result
  if (result?.state !== 'completed') throw new Error(`${name}: ${result?.state ?? 'no result'}`)
  return { medianMs: result.latency.p50, runs: result.latency.samples?.length ?? iterations }
}

export function progress(message: string): void {
  process.stderr.write(`${message}\n`)
}

export function formatMs(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  if (ms >= 10) return `${ms.toFixed(0)} ms`
  return `${ms.toFixed(2)} ms`
}

export function formatRatio(value: number): string {
  if (value >= 100) return `${Math.round(value).toLocaleString('en')}×`
  if (value >= 10) return `${value.toFixed(0)}×`
  return `${value.toFixed(2)}×`
}

export { formatSize }

/** A Markdown table, its columns padded to one width as the repository's formatter (Biome) writes them. */
export function table(header: string[], rows: string[][]): string {
  const length = (cell: string) => [...cell].length
  const widths = header.map((_, column) =>
    Math.max(3, ...[header, ...rows].map((cells) => length(cells[column] ?? ''))),
  )
  // Padded by characters, not UTF-16 units, as the formatter counts them.
  const pad = (cell: string, width: number) => cell + ' '.repeat(width - length(cell))
  const line = (cells: string[]) =>
    `| ${widths.map((width, column) => pad(cells[column] ?? '', width)).join(' | ')} |`
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}

/**
 * Least-squares fit of y = a·n² + b·n (no constant: nothing is held before the first step) through the
 * measured points, for extrapolating quadratic growth.
 */
export function fitQuadratic(points: { n: number; y: number }[]): (n: number) => number {
  let s4 = 0
  let s3 = 0
  let s2 = 0
  let t2 = 0
  let t1 = 0
  for (const { n, y } of points) {
    s4 += n ** 4
    s3 += n ** 3
    s2 += n ** 2
    t2 += y * n ** 2
    t1 += y * n
  }
  const det = s4 * s2 - s3 * s3
  const a = (t2 * s2 - t1 * s3) / det
  const b = (s4 * t1 - s3 * t2) / det
  return (n: number) => a * n * n + b * n
}

/** Where the figures come from, for the line under a table. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  return `Node ${process.version} on ${process.platform} ${release()}, ${cpu} (${cpus().length} CPUs)`
}
