import { collectGarbage } from '../../src/index.js'

/**
 * Heap used plus external memory after full GCs: what the process holds. External memory covers Buffers and
 * also large strings Node keeps outside the heap; V8's count of it can lag a GC behind, hence several GCs.
 */
export function liveBytes(): number {
  collectGarbage()
  collectGarbage()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.external
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
