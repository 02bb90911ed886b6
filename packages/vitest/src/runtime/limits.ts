import { parseSize, type Size } from '@memgate/core'
import type { TestOptions } from 'vitest'

/** The limits a test carries in `task.meta.memgate`, in bytes. */
export interface MemgateLimits {
  /** Most memory (JS heap + external) the test body may hold at once, above its starting level. */
  peak?: number
  /** Most memory the test body may leave reachable after it returned. */
  leaks?: number
}

declare module 'vitest' {
  interface TaskMeta {
    memgate?: { limits: MemgateLimits }
  }
}

/**
 * Test options that limit the peak memory of the test body: `test(name, limitMemory('10 MB'), fn)`.
 * Pass `leaks` to limit what it leaves behind as well. The size is read at once, so a bad one fails
 * when the file is collected.
 */
export function limitMemory(limit: Size, options: { leaks?: Size } = {}): TestOptions {
  const limits: MemgateLimits = { peak: parseSize(limit) }
  if (options.leaks !== undefined) limits.leaks = parseSize(options.leaks)
  return { meta: { memgate: { limits } } }
}

/**
 * Test options that limit the memory a test body leaves reachable: `test(name, limitLeaks('64 KB'), fn)`.
 * Pass `peak` to limit its peak as well.
 */
export function limitLeaks(limit: Size, options: { peak?: Size } = {}): TestOptions {
  const limits: MemgateLimits = { leaks: parseSize(limit) }
  if (options.peak !== undefined) limits.peak = parseSize(options.peak)
  return { meta: { memgate: { limits } } }
}
