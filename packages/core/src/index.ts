export {
  HeapSnapshotFormatError,
  InvalidSizeError,
  LeakTrackingResetError,
  MeasurementOverlapError,
  MemgateError,
} from './errors.js'
export type { SiteOptions } from './heap/allocation-traces.js'
export { isSiteFrame } from './heap/allocation-traces.js'
export type { LeakGroup } from './heap/groups.js'
export type { CodeLocator } from './heap/retainers.js'
export type { DiagnoseOptions, LeakDiagnosis } from './leaks/diagnosis.js'
export type { DiagnoseLeaksOptions, LeakTracking, LeakTrackingOptions } from './leaks/tracking.js'
export { diagnoseLeaks, startLeakTracking } from './leaks/tracking.js'
export { measure } from './measure/measure.js'
export type { Measurement, PeakMeasurement, TimelinePoint } from './measure/measurement.js'
export type { MemoryReading } from './measure/memory.js'
export { readMemory } from './measure/memory.js'
export type { PacerOptions } from './measure/pacer.js'
export type { AllocationSite, Frame, FrameFilter, HeapProfile, HeapProfileNode } from './measure/profile.js'
export { isUserFrame, topSites, writeHeapProfile } from './measure/profile.js'
export type { SamplingOptions } from './measure/sampling.js'
export type { PeakTracking, PeakTrackingOptions, Tracking, TrackingOptions } from './measure/tracker.js'
export { startPeakTracking, startTracking } from './measure/tracker.js'
export type { Size } from './size.js'
export { formatSize, parseSize } from './size.js'
export { collectGarbage } from './v8/gc.js'
export {
  pinYoungGenerationNow,
  YOUNG_GENERATION_FLAGS,
  YOUNG_GENERATION_RESOURCE_LIMITS,
  youngGeneration,
} from './v8/young-generation.js'
