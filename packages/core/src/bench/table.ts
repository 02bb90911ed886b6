import { formatSize } from '../size.js'
import type { OperationsMemory } from './operations.js'

/** The memory columns `bench.table()` gains: allocated per operation, peak, retained. */
export function memoryColumns(memory: OperationsMemory): Record<string, string> {
  return {
    'Allocated/op': formatSize(memory.allocatedPerOp),
    'Peak memory': formatSize(memory.peak),
    Retained: formatSize(memory.retained),
  }
}
