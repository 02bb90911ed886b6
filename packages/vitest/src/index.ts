export type { MemgateOptions } from './options.js'
export { InvalidOptionError } from './options.js'
export { memgate } from './plugin.js'
export {
  ConcurrentLimitError,
  LeakLimitError,
  MemoryLimitError,
  RunnerMismatchError,
} from './runtime/errors.js'
export type { MemgateLimits } from './runtime/limits.js'
export { limitLeaks, limitMemory } from './runtime/limits.js'
export type { MemgateResult } from './runtime/result.js'
