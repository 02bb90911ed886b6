export type { MemgateLimits } from './runtime/limits.js'
export { limitLeaks, limitMemory } from './runtime/limits.js'
