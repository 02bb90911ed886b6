import { fileURLToPath } from 'node:url'
import { YOUNG_GENERATION_FLAGS } from '@memgate/core'
import type { ViteUserConfig } from 'vitest/config'
import type { ResolvedConfig } from 'vitest/node'
import type { MemgateOptions } from '../plugin.js'

const SETUP_FILE = fileURLToPath(new URL('../runtime/setup.js', import.meta.url))
const CHILD_PROCESS_POOLS = new Set(['forks', 'vmForks'])

/** What the plugin adds to the user's config; Vite appends it to their `setupFiles`. */
export function pluginConfig(): ViteUserConfig {
  return { test: { setupFiles: [SETUP_FILE] } }
}

/** Adjusts a project's resolved config; its `execArgv` is read each time workers start. */
export function configureProject(
  config: Pick<ResolvedConfig, 'pool' | 'execArgv'>,
  options: MemgateOptions,
): void {
  if (options.pinYoungGeneration === false) return
  // Worker threads refuse V8 flags in execArgv (ERR_WORKER_INVALID_EXEC_ARGV).
  if (typeof config.pool !== 'string' || !CHILD_PROCESS_POOLS.has(config.pool)) return
  if (config.execArgv.some((flag) => /^--max[-_]semi[-_]space[-_]size\b/.test(flag))) return
  config.execArgv.push(...YOUNG_GENERATION_FLAGS)
}
