import { Session } from 'node:inspector'
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

/** Set once {@link pinYoungGenerationNow} has brought this thread's new space down and stopped its growth. */
let pinnedLater = false

/**
 * Whether this thread's young generation is pinned small (from its start, or since
 * {@link pinYoungGenerationNow}), and its current capacity.
 */
export function youngGeneration(): { pinned: boolean; newSpaceBytes: number } {
  const newSpaceBytes = newSpaceCapacity()
  const grown = newSpaceBytes > 2 * SEMI_SPACE_MB * 2 ** 20
  return { pinned: !grown && (pinnedLater || startedPinned()), newSpaceBytes }
}

/**
 * Pins the young generation of a thread that did not start pinned, at the cost of one memory-reducing
 * collection (a few full GCs), paid once per thread. For a runner that measures only some of its tests: a
 * worker that measures none never pays for a small young generation.
 *
 * `--max-semi-space-size` set at run time does not lower the ceiling V8 set the heap up with, but V8 grows the
 * new space by `--semi-space-growth-factor`, which it reads each time: at 1 the new space keeps the size it
 * has. A memory-reducing collection (the inspector's `HeapProfiler.collectGarbage`; a plain `gc()` keeps the
 * size) first brings it down to one semi-space of 1 MB. Measured on Node 20, 22 and 24, in processes and worker
 * threads: a new space grown to 32 MB (128 MB on Node 24) reads 1 MB after it and 2 MB after more work, as in
 * a process started with `--max-semi-space-size=1`. The flags are the process's: its other threads keep the
 * size they have, and those started later are pinned from their start. Resolves to whether the young
 * generation now reads as pinned.
 */
export async function pinYoungGenerationNow(): Promise<boolean> {
  if (youngGeneration().pinned) return true
  setFlagsFromString(`--semi-space-growth-factor=1 ${YOUNG_GENERATION_FLAGS.join(' ')}`)
  process.env[THREADS_PINNED] = String(SEMI_SPACE_MB)
  const session = new Session()
  session.connect()
  try {
    // A worker thread's session answers this one later (the main thread's at once): wait for the answer.
    await new Promise<void>((resolve, reject) =>
      session.post('HeapProfiler.collectGarbage', (error) => (error ? reject(error) : resolve())),
    )
  } finally {
    session.disconnect()
  }
  pinnedLater = newSpaceCapacity() <= 2 * SEMI_SPACE_MB * 2 ** 20
  return pinnedLater
}

function newSpaceCapacity(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0
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
