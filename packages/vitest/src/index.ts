export type { LeakOverrun, Overrun } from './errors.js'
export {
  BaselineError,
  ConcurrentLimitError,
  EmptyPatternError,
  InvalidLimitOptionError,
  InvalidOptionError,
  LeakLimitError,
  MemoryLimitError,
  MemoryRegressionError,
  NotInBaselineError,
  PluginMissingError,
  RunnerNotMemgateError,
} from './errors.js'
export type { GateOptions, MemgateOptions } from './options.js'
export { memgate } from './plugin.js'
export type { BaselineEntry } from './runtime/gate.js'
export type {
  IgnorePatterns,
  LeakCheckOptions,
  LeakIgnore,
  MemgateLimits,
  Pattern,
} from './runtime/limit-types.js'
export { limitLeaks, limitMemory } from './runtime/limits.js'
export type { MemgateResult } from './runtime/result.js'
