import { join } from 'node:path'
import { inject } from 'vitest'
import type { MemgateLimits } from './limits.js'

/** What the plugin hands each test worker (through Vitest's `provide`/`inject`); sizes in bytes. */
export interface RuntimeSettings {
  /** Limits for tests that set none of their own, by kind. */
  fence: MemgateLimits
  sites: number
  frames: number
  samplingInterval: number
  /** Absolute folder for heap profiles. */
  outputDir: string
  /** The project root, which artifact paths mirror test files from. */
  root: string
  summary: boolean
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
