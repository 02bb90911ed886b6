// What the benchmarks share: a child process started the way memgate measures (a pinned young generation)
// for the n = 100,000 run, which is one measured run rather than a timed task (the comparison tables use
// withMemory), and writing Markdown.
import { fileURLToPath } from 'node:url'
import { formatSize, YOUNG_GENERATION_FLAGS, youngGeneration } from '@memgate/core'
import { benchChild } from '@memgate/test-utils/bench-child'
import { machine } from '@memgate/test-utils/machine'
import { markdownTable as table } from '@memgate/test-utils/markdown-table'

export { formatSize, machine, table }

/** The example's directory: benchmarks are run from there. */
export const exampleRoot = fileURLToPath(new URL('..', import.meta.url))

/** Measuring in a child process started the way memgate measures; see test-utils' bench-child. */
export const { childRequest, answer, runChild } = benchChild({
  cwd: exampleRoot,
  flags: YOUNG_GENERATION_FLAGS,
  started: () => youngGeneration().pinned,
})

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

/** A relative error, signed: +3.1%, −0.4%. */
export function formatError(value: number): string {
  const percent = value * 100
  const digits = Math.abs(percent) >= 10 ? 0 : 1
  const magnitude = Math.abs(percent).toFixed(digits)
  if (Number(magnitude) === 0) return `${magnitude}%`
  return `${percent < 0 ? '−' : '+'}${magnitude}%`
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
