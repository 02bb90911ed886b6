import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { YOUNG_GENERATION_FLAGS } from '@memgate/core'
import type { ViteUserConfig } from 'vitest/config'
import type { ResolvedConfig } from 'vitest/node'
import type { ResolvedOptions } from '../options.js'
import type { RuntimeSettings } from '../runtime/settings.js'

const SETUP_FILE = fileURLToPath(new URL('../runtime/setup.js', import.meta.url))
const CHILD_PROCESS_POOLS = new Set(['forks', 'vmForks'])

/** What the plugin adds to the user's config; Vite appends it to their `setupFiles`. */
export function pluginConfig(): ViteUserConfig {
  return { test: { setupFiles: [SETUP_FILE] } }
}

/** Adjusts a project's resolved config; its `execArgv` is read each time workers start. */
export function configureProject(
  config: Pick<ResolvedConfig, 'pool' | 'execArgv'>,
  options: Pick<ResolvedOptions, 'pinYoungGeneration'>,
): void {
  if (!options.pinYoungGeneration) return
  // Worker threads refuse V8 flags in execArgv (ERR_WORKER_INVALID_EXEC_ARGV).
  if (typeof config.pool !== 'string' || !CHILD_PROCESS_POOLS.has(config.pool)) return
  if (config.execArgv.some((flag) => /^--max[-_]semi[-_]space[-_]size\b/.test(flag))) return
  config.execArgv.push(...YOUNG_GENERATION_FLAGS)
}

/** What the workers of a project are given: plain data, as `provide` requires. */
export function settingsFor(root: string, options: ResolvedOptions): RuntimeSettings {
  const fence: RuntimeSettings['fence'] = {}
  if (options.limit !== undefined) fence.peak = options.limit
  if (options.leaks !== undefined) fence.leaks = options.leaks
  return {
    fence,
    sites: options.sites,
    frames: options.frames,
    samplingInterval: options.samplingInterval,
    outputDir: resolve(root, options.outputDir),
    root,
    summary: options.summary,
  }
}
