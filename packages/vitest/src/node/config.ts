import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  DEFAULT_SAMPLING_INTERVAL,
  pinYoungGenerationOfNewThreads,
  YOUNG_GENERATION_FLAGS,
} from '@memgate/core/internal/config'
import type { ViteUserConfig } from 'vitest/config'
import type { ResolvedConfig } from 'vitest/node'
import type { ResolvedOptions } from '../options.js'
import type { RuntimeSettings } from '../runtime/settings.js'
import { PINNED_THREADS_POOL, pinnedThreadsPool } from './threads-pool.js'

const SETUP_FILE = fileURLToPath(new URL('../runtime/setup.js', import.meta.url))
/** The runner that measures test bodies (its `runTask`); a project's own runner is left as it is. */
const RUNNER_FILE = fileURLToPath(new URL('../runtime/runner.js', import.meta.url))
/** Vitest 4's benchmark runner, measuring each bench's memory after its timing. */
const BENCH_RUNNER_FILE = fileURLToPath(new URL('../runtime/bench-runner.js', import.meta.url))
/** Vitest 5's benchmark provider, measuring each bench's memory after its timing. */
const BENCH_PROVIDER_FILE = fileURLToPath(new URL('../runtime/bench-provider.js', import.meta.url))
const CHILD_PROCESS_POOLS = new Set(['forks', 'vmForks'])

/** What the plugin adds to the user's config; Vite appends it to their `setupFiles`. */
export function pluginConfig(gate = false): ViteUserConfig {
  // In GitHub Actions the gate annotates a failed test at its line, which Vitest records only when asked.
  const located = gate && process.env.GITHUB_ACTIONS === 'true' ? { includeTaskLocation: true } : {}
  return { test: { setupFiles: [SETUP_FILE], ...located } }
}

/**
 * Drops the plugin's setup file from a project that has no use for it: one whose runner is memgate's (which
 * marks the plugin present itself, and measures every limited test, so there is nothing to refuse) and whose
 * tests no baseline holds (no gate check after them). Each setup file costs every test file a module load
 * and its hooks, the largest part of what the plugin costs a suite with no limits (BENCHMARKS.md).
 */
export function dropIdleSetupFile(
  config: Pick<ResolvedConfig, 'runner' | 'setupFiles'>,
  settings: Pick<RuntimeSettings, 'gate'>,
): boolean {
  if (config.runner !== RUNNER_FILE || settings.gate) return false
  const at = config.setupFiles.indexOf(SETUP_FILE)
  if (at < 0) return false
  config.setupFiles.splice(at, 1)
  return true
}

/**
 * Adjusts a project's resolved config; its `execArgv` is read each time workers start. Returns how the
 * workers' young generation is pinned: from their start when every test is measured (a default limit, the
 * summary), else by the worker itself before its first GC-based measurement (`'lazy'`), so that a worker that
 * measures nothing keeps V8's young generation and its speed; `false` when not at all.
 */
export function configureProject(
  config: Pick<ResolvedConfig, 'pool' | 'poolRunner' | 'execArgv' | 'runner'>,
  options: Pick<ResolvedOptions, 'pinYoungGeneration' | 'limit' | 'leaks' | 'summary'>,
): 'start' | 'lazy' | false {
  // Vitest 5's benchmark project (`benchmark.enabled`): memgate's provider, unless the project has its own.
  const benchmark = (config as { benchmark?: { enabled?: boolean; provider?: string } }).benchmark
  if (benchmark?.enabled && !benchmark.provider) benchmark.provider = BENCH_PROVIDER_FILE
  // Vitest 4's benchmark mode (`vitest bench`) has a runner of its own: memgate's measures each bench's memory.
  // Vitest 5 has no such mode (its benchmarks run inside tests).
  const benchMode = (config as { mode?: string }).mode === 'benchmark'
  if (!config.runner) config.runner = benchMode ? BENCH_RUNNER_FILE : RUNNER_FILE
  if (!options.pinYoungGeneration) return false
  // The user's own semi-space size is theirs to choose.
  if (config.execArgv.some((flag) => /^--max[-_]semi[-_]space[-_]size\b/.test(flag))) return false
  // Every bench's memory is measured, as every test is under a default limit or the summary.
  const everyTestMeasured =
    options.limit !== undefined ||
    options.leaks !== undefined ||
    options.summary ||
    benchMode ||
    benchmark?.enabled === true
  if (!everyTestMeasured) return 'lazy'
  // Worker threads refuse V8 flags in execArgv (ERR_WORKER_INVALID_EXEC_ARGV): the threads pool is swapped
  // for one that starts its threads with resourceLimits instead.
  if (config.pool === 'threads') {
    config.pool = PINNED_THREADS_POOL
    config.poolRunner = pinnedThreadsPool
    return 'start'
  }
  // vmThreads cannot be swapped (Vitest treats that pool by its name), so the threads this process starts
  // from now on are pinned, by the V8 flag V8 reads as it sets up each new thread's heap.
  if (config.pool === 'vmThreads') {
    pinYoungGenerationOfNewThreads()
    return 'start'
  }
  if (typeof config.pool !== 'string' || !CHILD_PROCESS_POOLS.has(config.pool)) return 'lazy'
  config.execArgv.push(...YOUNG_GENERATION_FLAGS)
  return 'start'
}

/** What the workers of a project are given: plain data, as `provide` requires. */
export function settingsFor(
  root: string,
  options: ResolvedOptions,
  runner?: string,
  pin: 'start' | 'lazy' | false = false,
): RuntimeSettings {
  const fence: RuntimeSettings['fence'] = {}
  if (options.limit !== undefined) fence.peak = options.limit
  if (options.leaks !== undefined) fence.leaks = options.leaks
  // A test's own `ignore` adds to these (runtime/limits.ts, applicableLimits).
  if (options.ignoreLeaks) fence.ignore = options.ignoreLeaks
  return {
    fence,
    sites: options.sites,
    frames: options.frames,
    samplingInterval: options.samplingInterval ?? DEFAULT_SAMPLING_INTERVAL,
    outputDir: resolve(root, options.outputDir),
    root,
    summary: options.summary,
    ...(pin === 'lazy' ? { pinLazily: true as const } : {}),
    ...(runner && runner !== RUNNER_FILE && runner !== BENCH_RUNNER_FILE ? { runner } : {}),
  }
}
