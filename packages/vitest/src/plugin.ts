import type { Plugin } from 'vitest/config'

/** Options of the {@link memgate} plugin. */
export interface MemgateOptions {
  /**
   * Start `forks` and `vmForks` workers with a small young generation (`--max-semi-space-size=1`), so
   * short-lived garbage does not read as peak memory. Default `true`; ignored if `execArgv` already sets
   * the semi-space size. The `threads` pools cannot take V8 flags.
   */
  pinYoungGeneration?: boolean
}

/**
 * The Vitest plugin: `plugins: [memgate()]` in `vitest.config.ts` makes `limitMemory()` and `limitLeaks()`
 * measure the test body and fail the test when a limit is exceeded.
 */
export function memgate(options: MemgateOptions = {}): Plugin {
  // This module is also loaded in test workers (through the package's entry): node-side code loads lazily.
  return {
    name: 'memgate',
    async config() {
      const { pluginConfig } = await import('./node/config.js')
      return pluginConfig()
    },
    async configureVitest({ project }) {
      const { configureProject } = await import('./node/config.js')
      configureProject(project.config, options)
    },
  }
}
