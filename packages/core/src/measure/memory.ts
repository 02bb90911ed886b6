import { getHeapCodeStatistics, getHeapStatistics } from 'node:v8'

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
 * Bytes V8 spends on compiled code and bytecode (with their metadata). They grow the first time code runs,
 * which is V8's own memory, not the user's leak.
 */
export function readCodeBytes(): number {
  const code = getHeapCodeStatistics()
  return code.code_and_metadata_size + code.bytecode_and_metadata_size
}
