import { getHeapCodeStatistics, getHeapSpaceStatistics, getHeapStatistics } from 'node:v8'

/** Memory at one instant, in bytes. */
export interface MemoryReading {
  /** JS heap in use (live objects and garbage not yet collected). */
  heap: number
  /** Memory V8 knows is held outside its heap: Buffers, ArrayBuffers, typed arrays, external strings. */
  external: number
}

/**
 * JS heap used and external memory now, as memgate reads them (about a microsecond). Garbage not yet
 * collected is included: it is a reading, not a measurement.
 */
export function readMemory(): MemoryReading {
  const stats = getHeapStatistics() as ReturnType<typeof getHeapStatistics> & { external_memory?: number }
  return { heap: stats.used_heap_size, external: stats.external_memory ?? process.memoryUsage().external }
}

/**
 * Each part at its lower of two readings taken after full GCs. Each part of such a reading can only overstate
 * what is held, and the two go wrong apart: V8 frees dead ArrayBuffers' memory on a background thread after a
 * full GC, while the heap read right after one now and then carries 200–480 kB that a moment later is gone.
 * Taken whole, the reading with the lower sum can be the one with the high heap: in a Vitest worker on
 * Node 24, a baseline whose first reading still held 5.3 MB of freed external memory and whose second held
 * 452 kB of such heap took the second, and a body that kept 130 kB read −288 kB (its leak check passed).
 */
export function lowerOfEach(first: MemoryReading, second: MemoryReading): MemoryReading {
  return { heap: Math.min(first.heap, second.heap), external: Math.min(first.external, second.external) }
}

/** The heap spaces of V8 ≥ 12.4 that hold compiled code, bytecode and their metadata. */
const CODE_SPACES = new Set([
  'code_space',
  'code_large_object_space',
  'trusted_space',
  'trusted_large_object_space',
])

/** V8's compiled code and bytecode at one instant, two ways (see {@link codeChangeBetween}). */
export interface CodeBytes {
  /** `getHeapCodeStatistics()`: code and bytecode with the metadata V8 counts for them (a heap walk). */
  statistics: number
  /** What V8's code and trusted spaces hold, where V8 has a trusted space (Node 22 and later). */
  spaces: number | undefined
}

/**
 * Bytes V8 spends on compiled code and bytecode (with their metadata). They grow the first time code runs,
 * which is V8's own memory, not the user's leak.
 */
export function readCodeBytes(): CodeBytes {
  // First: the walk finishes V8's concurrent sweeping, so the spaces are read as swept, as the code is.
  const code = getHeapCodeStatistics()
  let spaces = 0
  let trusted = false
  for (const { space_name: name, space_used_size: used } of getHeapSpaceStatistics()) {
    if (name === 'trusted_space') trusted = true
    if (CODE_SPACES.has(name)) spaces += used
  }
  return {
    statistics: code.code_and_metadata_size + code.bytecode_and_metadata_size,
    spaces: trusted ? spaces : undefined,
  }
}

/**
 * How much V8's code changed between two weighings, with its sign: code V8 dropped (flushed bytecode,
 * optimized code thrown away) lowered the heap by as much, and is no data of the program's.
 *
 * Where V8 has a trusted space, the code statistics miss part of what compiling adds: the metadata V8 keeps
 * there beside the code (for 200 functions Sparkplug compiled during a span on Node 24, 83 kB beside 596 kB
 * counted; 14–30% of the counted growth in the cases weighed), which then read as leaked. What the code and
 * trusted spaces grew by beyond the statistics is added, up to as much as the statistics grew, and their
 * shrinking is never taken: their size is not only code.
 * - Under load it moved by about a page (256 KiB) between a span's start and end with no code made or freed
 *   and the heap's total unchanged: +249 to +267 kB in several spans, −312 kB in one (taken as code, that
 *   span, which kept nothing, read 328 kB leaked; a growth taken whole would hide a leak as large).
 * - The trusted space also holds objects of the program's: a WebAssembly instance's data and, on Node 24,
 *   compiled regular expressions. Kept by a span that compiled code too, they can count as that code's
 *   metadata, within the bound.
 */
export function codeChangeBetween(start: CodeBytes, end: CodeBytes): number {
  const counted = end.statistics - start.statistics
  if (start.spaces === undefined || end.spaces === undefined) return counted
  const beside = Math.max(0, end.spaces - start.spaces - counted)
  return counted + Math.min(beside, Math.max(0, counted))
}
