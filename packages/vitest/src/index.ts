export type { GateOptions, MemgateOptions } from './options.js'
export { InvalidOptionError } from './options.js'
export { memgate } from './plugin.js'
export type { LeakOverrun, Overrun } from './runtime/errors.js'
export {
  ConcurrentLimitError,
  InvalidLimitOptionError,
  LeakLimitError,
  MemoryLimitError,
  RunnerNotMemgateError,
} from './runtime/errors.js'
export type { BaselineEntry } from './runtime/gate.js'
export { MemoryRegressionError, NotInBaselineError } from './runtime/gate.js'
export type { LeakIgnore, Pattern } from './runtime/leak-filter.js'
export type { LeakCheckOptions } from './runtime/leak-options.js'
export type { MemgateLimits } from './runtime/limits.js'
export { limitLeaks, limitMemory } from './runtime/limits.js'
export type { MemgateResult } from './runtime/result.js'
