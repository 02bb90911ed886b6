// `@memgate/core/internal/config`: what a test runner's main process needs from core while it loads its config.
// Light on purpose: the V8 settings alone, none of the measuring engine. `@memgate/core` and `/internal` load
// all of it (some 35 modules), which the Vitest plugin's config step paid in every run, measured or not (the
// no-limits row of packages/vitest/BENCHMARKS.md).

export { DEFAULT_SAMPLING_INTERVAL } from './measure/sampling.js'
export {
  pinYoungGenerationOfNewThreads,
  YOUNG_GENERATION_FLAGS,
  YOUNG_GENERATION_RESOURCE_LIMITS,
} from './v8/young-generation.js'
