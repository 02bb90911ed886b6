import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8'
import { isMainThread, resourceLimits } from 'node:worker_threads'
import { startFlags } from './flags.js'

/** The semi-space size memgate measures with, in MB: V8's new space is two of them. */
const SEMI_SPACE_MB = 1

/**
 * Node flags that pin the young generation small. Pass them when the process starts
 * (`node --max-semi-space-size=1`, a fork's `execArgv`): set from inside a running process the flag
 * does not hold once the heap has grown. With Node's default (up to 16 MB semi-spaces) garbage alone
 * reads as ~17 MB of peak.
 */
export const YOUNG_GENERATION_FLAGS: readonly string[] = [`--max-semi-space-size=${SEMI_SPACE_MB}`]

/**
 * The `resourceLimits` that pin a worker thread's young generation the same way
 * (V8 sizes the young generation as three semi-spaces).
 */
export const YOUNG_GENERATION_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 3 * SEMI_SPACE_MB } as const

/** Set in this process's environment (which new threads copy) once its new threads are pinned. */
const THREADS_PINNED = 'MEMGATE_THREADS_SEMI_SPACE_MB'

/**
 * Pins the young generation of every worker thread this process starts from now on, for a pool that starts
 * its threads itself, without `resourceLimits` (Vitest's vmThreads). V8 reads `--max-semi-space-size` when it
 * sets up a new isolate's heap: set here, the flag holds for the threads made after, while this thread's
 * own heap keeps the size it was set up with.
 */
export function pinYoungGenerationOfNewThreads(): void {
  setFlagsFromString(YOUNG_GENERATION_FLAGS.join(' '))
  process.env[THREADS_PINNED] = String(SEMI_SPACE_MB)
}

/** Whether this thread's young generation was pinned small when it started, and its current capacity. */
export function youngGeneration(): { pinned: boolean; newSpaceBytes: number } {
  const newSpaceBytes = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0
  const grown = newSpaceBytes > 2 * SEMI_SPACE_MB * 2 ** 20
  return { pinned: !grown && startedPinned(), newSpaceBytes }
}

function startedPinned(): boolean {
  if (!isMainThread) {
    const limit = resourceLimits.maxYoungGenerationSizeMb
    const pinnedByParent = Number(process.env[THREADS_PINNED]) <= SEMI_SPACE_MB
    return (
      pinnedByParent ||
      (limit !== undefined && limit > 0 && limit <= YOUNG_GENERATION_RESOURCE_LIMITS.maxYoungGenerationSizeMb)
    )
  }
  return startFlags().some((flag) => {
    const match = /^--max[-_]semi[-_]space[-_]size=(\d+)$/.exec(flag)
    return match !== null && Number(match[1]) <= SEMI_SPACE_MB
  })
}
