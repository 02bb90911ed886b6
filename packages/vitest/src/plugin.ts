import type { Plugin } from 'vitest/config'
import { type MemgateOptions, resolveOptions } from './options.js'

export type { MemgateOptions } from './options.js'

/**
 * The Vitest plugin: `plugins: [memgate()]` in `vitest.config.ts` makes `limitMemory()` and `limitLeaks()`
 * measure the test body and fail the test when a limit is exceeded. Bad options throw
 * {@link InvalidOptionError} when the config is loaded.
 */
export function memgate(options: MemgateOptions = {}): Plugin {
  const resolved = resolveOptions(options)
  // This module is also loaded in test workers (through the package's entry): node-side code loads lazily.
  return {
    name: 'memgate',
    async config() {
      const { pluginConfig } = await import('./node/config.js')
      return pluginConfig(resolved.gate !== false)
    },
    async configureVitest({ vitest, project }) {
      const { configureProject, dropIdleSetupFile, settingsFor } = await import('./node/config.js')
      const pin = configureProject(project.config, resolved)
      const settings = settingsFor(project.config.root, resolved, project.config.runner, pin)
      if (resolved.gate) {
        const { registerProjectGate } = await import('./node/gate-config.js')
        const gate = registerProjectGate(
          vitest,
          { name: project.name, root: project.config.root },
          resolved.gate,
        )
        if (gate.settings) settings.gate = gate.settings
        // Writing the baseline: every figure it records must be a peak, never a ceiling.
        if (gate.registry.update) settings.gateRecords = true
        if (gate.created) {
          const { registerGateReporter } = await import('./node/gate-reporter.js')
          registerGateReporter(vitest, gate.registry, settings.outputDir)
        }
      }
      dropIdleSetupFile(project.config, settings)
      project.provide('memgate', settings)
      const benchmarks = project.config as { mode?: string; benchmark?: { enabled?: boolean } }
      if (benchmarks.mode === 'benchmark' || benchmarks.benchmark?.enabled) {
        const { registerBenchReporter } = await import('./node/bench-reporter.js')
        registerBenchReporter(vitest)
      }
      if (!resolved.summary) return
      const { registerSummary } = await import('./node/summary-reporter.js')
      registerSummary(vitest, { outputDir: settings.outputDir, top: resolved.summaryTop })
    },
  }
}
