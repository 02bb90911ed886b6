import { getHeapCodeStatistics } from 'node:v8'
import { collectGarbage } from '../../src/index.js'
import { finishCompilation } from '../../src/v8/compilation.js'

/**
 * Heap used plus external memory after full GCs, less V8's bytecode and compiled code: what the program's data
 * holds. External memory covers Buffers and also large strings Node keeps outside the heap; V8's count of it can
 * lag a GC behind, hence several GCs. Code is left out because V8 flushes the bytecode of functions that have
 * not run for a few GCs (a test runner's start-up code, 130–330 kB of it): counted, a flush between two readings
 * made 0.64 MB of kept objects weigh 0.31 MB (measurements leave code growth out of `leaked` too).
 * Optimizing compile jobs still in flight are finished first, as the tracker does: a job holds its function's
 * closure past the GCs (the likely cause of a loaded CI run where 0.64 MB of kept objects weighed 0.86 MB).
 */
export function liveBytes(): number {
  finishCompilation()
  collectGarbage()
  collectGarbage()
  const usage = process.memoryUsage()
  const code = getHeapCodeStatistics()
  return usage.heapUsed + usage.external - code.code_and_metadata_size - code.bytecode_and_metadata_size
}

export const MiB = 2 ** 20

/** Asserts `actual` lies within `relative` × expected + `absolute` bytes of `expected`, with a readable message. */
export function within(actual: number, expected: number, relative: number, absolute: number): void {
  const slack = expected * relative + absolute
  if (Math.abs(actual - expected) > slack) {
    throw new Error(
      `expected ${(actual / 1e6).toFixed(2)} MB to be within ${(slack / 1e6).toFixed(2)} MB of ${(expected / 1e6).toFixed(2)} MB`,
    )
  }
}
