// `@memgate/core/tinybench`: memory beside speed in a tinybench `Bench`.

export type { TaskMemoryLimits } from './bench/limits.js'
export type { OperationsMemory, OperationsOptions } from './bench/operations.js'
export { measureOperations } from './bench/operations.js'
export { memoryColumns } from './bench/table.js'
export type { TaskMemory, WithMemoryOptions } from './bench/tinybench.js'
export { withMemory } from './bench/tinybench.js'
export { BenchChildError, BenchMemoryLimitError, BenchSetupError } from './errors.js'
export type { RssSpan } from './measure/rss.js'
