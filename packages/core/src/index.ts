export type { SiteOptions } from './allocation-traces.js'
export { isSiteFrame } from './allocation-traces.js'
export { InvalidSizeError, MeasurementOverlapError, MemgateError } from './errors.js'
export { collectGarbage } from './gc.js'
export type { LeakReportOptions } from './leak-report.js'
export { describeFrame, leakGroupLines } from './leak-report.js'
export type {
  DiagnoseLeaksOptions,
  DiagnoseOptions,
  LeakDiagnosis,
  LeakGroup,
  LeakTracking,
  LeakTrackingOptions,
} from './leaks.js'
export { diagnoseLeaks, LeakTrackingResetError, startLeakTracking } from './leaks.js'
export { measure } from './measure.js'
export type { Measurement, TimelinePoint } from './measurement.js'
export type { MemoryReading } from './memory.js'
export { readMemory } from './memory.js'
export type { PacerOptions } from './pacer.js'
export type { AllocationSite, Frame, FrameFilter, HeapProfile, HeapProfileNode } from './profile.js'
export { frameFile, isUserFrame, topSites, writeHeapProfile } from './profile.js'
export type { SamplingOptions } from './sampling.js'
export { DEFAULT_SAMPLING_INTERVAL } from './sampling.js'
export type { Size } from './size.js'
export { formatSize, parseSize } from './size.js'
export type { Tracking, TrackingOptions } from './tracker.js'
export { startTracking } from './tracker.js'
export {
  SEMI_SPACE_MB,
  YOUNG_GENERATION_FLAGS,
  YOUNG_GENERATION_RESOURCE_LIMITS,
  youngGeneration,
} from './young-generation.js'
