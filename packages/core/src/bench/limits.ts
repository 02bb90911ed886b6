import { BenchSetupError, InvalidSizeError } from '../errors.js'
import { formatSize, parseSize, type Size } from '../size.js'
import type { OperationsMemory } from './operations.js'

/** Memory limits on one benchmark task: `bench.add('parse', fn, { memory: { peak: '10 MB' } })`. */
export interface TaskMemoryLimits {
  /** JS heap bytes allocated per operation. */
  allocated?: Size
  /** Peak live memory (heap + external) of the task's iterations. */
  peak?: Size
  /** What the task's iterations left reachable after a full GC. */
  retained?: Size
}

export type ParsedLimits = { [K in keyof TaskMemoryLimits]: number }

const FIGURES = ['allocated', 'peak', 'retained'] as const

/** Reads a task's limits; a size that cannot be read throws `InvalidSizeError` naming the task and the key. */
export function parseLimits(task: string, limits: unknown): ParsedLimits {
  if (limits === undefined) return {}
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits))
    throw new BenchSetupError(
      `bench.add("${task}", fn, { memory }): memory must be an object of limits such as ` +
        `{ peak: '10 MB', allocated: '1 kB', retained: '64 kB' }, got ${JSON.stringify(limits)}.`,
    )
  const parsed: ParsedLimits = {}
  for (const [key, value] of Object.entries(limits)) {
    if (!(FIGURES as readonly string[]).includes(key))
      throw new BenchSetupError(
        `bench.add("${task}", fn, { memory: { ${key} } }): there is no limit "${key}"; ` +
          `the limits are ${FIGURES.join(', ')} (allocated is per operation).`,
      )
    try {
      parsed[key as (typeof FIGURES)[number]] = parseSize(value as Size)
    } catch (error) {
      if (error instanceof InvalidSizeError)
        error.message = `bench.add("${task}", fn, { memory: { ${key} } }): ${error.message}`
      throw error
    }
  }
  return parsed
}

/** One line per figure of `memory` over its limit; none when all are within. */
export function limitViolations(task: string, limits: ParsedLimits, memory: OperationsMemory): string[] {
  const lines: string[] = []
  const over = (figure: string, value: number, limit: number | undefined) => {
    if (limit !== undefined && value > limit)
      lines.push(`task "${task}": ${figure} ${formatSize(value)}, over its limit of ${formatSize(limit)}`)
  }
  over('allocated per operation', memory.allocatedPerOp, limits.allocated)
  over('peak', memory.peak, limits.peak)
  over('retained', memory.retained, limits.retained)
  return lines
}
