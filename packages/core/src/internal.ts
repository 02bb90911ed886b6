// `@memgate/core/internal`: what memgate's own packages (the Vitest plugin, the CLI) share with core and users
// do not need. No stability promise: it changes with memgate's packages, which are released together.

export { ARTIFACT_NAME_BYTES, artifactName } from './artifact-name.js'
export { limitViolations, type ParsedLimits } from './bench/limits.js'
export { describeFrame, type LeakReportOptions, leakGroupLines } from './leaks/report.js'
export { frameFile } from './measure/profile.js'
export { DEFAULT_SAMPLING_INTERVAL } from './measure/sampling.js'
export {
  SUMMARY_VERSION,
  type Summary,
  type SummaryEntry,
  type SummaryLimits,
  type SummaryPattern,
  type SummaryVerdict,
} from './summary.js'
export { runFinalizers } from './v8/gc.js'
export { pinYoungGenerationOfNewThreads } from './v8/young-generation.js'
