import { join } from 'node:path'
import { inject } from 'vitest'
import type { BaselineEntry, Tolerance } from './gate.js'
import type { MemgateLimits } from './limit-types.js'

/** The regression gate, as the workers of one project see it (absent when the gate is off or updating). */
export interface GateSettings {
  /** The project's name, the first part of a test's id. */
  project: string
  /** The baseline file as the user reads it (relative to the project root), for messages. */
  baselineFile: string
  tolerance: Tolerance
  failOnNew: boolean
  /** The baseline's entries of this project, by test id. */
  entries: Record<string, BaselineEntry>
}

/** What the plugin hands each test worker (through Vitest's `provide`/`inject`); sizes in bytes. */
export interface RuntimeSettings {
  /**
   * Limits for tests that set none of their own, by kind, and the plugin's `ignoreLeaks` (as `ignore`), which
   * a test's own `ignore` adds to.
   */
  fence: MemgateLimits
  sites: number
  frames: number
  samplingInterval: number
  /** Absolute folder for heap profiles. */
  outputDir: string
  /** The project root, which artifact paths mirror test files from. */
  root: string
  summary: boolean
  gate?: GateSettings
  /** The gate writes the baseline in this run (MEMGATE_UPDATE): measured tests' figures are recorded. */
  gateRecords?: true
  /**
   * The worker pins its young generation itself before its first measurement that forces a GC (core's
   * `pinYoungGenerationNow`); absent when it was pinned at its start, or is not to be pinned.
   */
  pinLazily?: true
  /** The project's own test runner, when it set one (it must then be made with `withMemgate`). */
  runner?: string
}

declare module 'vitest' {
  interface ProvidedContext {
    memgate: RuntimeSettings
  }
}

/** The settings the plugin provided, or the defaults when the setup file runs without it. */
export function readSettings(): RuntimeSettings {
  const provided = inject('memgate') as RuntimeSettings | undefined
  return (
    provided ?? {
      fence: {},
      sites: 5,
      frames: 3,
      // V8's default (core's DEFAULT_SAMPLING_INTERVAL), spelled out so this file does not load the engine.
      samplingInterval: 32 * 1024,
      outputDir: join(process.cwd(), '.memgate'),
      root: process.cwd(),
      summary: false,
    }
  )
}
