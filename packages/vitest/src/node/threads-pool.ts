import { Worker } from 'node:worker_threads'
import { YOUNG_GENERATION_RESOURCE_LIMITS } from '@memgate/core/internal/config'
import { type PoolOptions, ThreadsPoolWorker } from 'vitest/node'

/** The name the pinned pool runs under; Vitest keys custom pools by name. */
export const PINNED_THREADS_POOL = 'memgate-threads'

/**
 * Vitest's `threads` pool, with each worker thread started with a small young generation. Threads refuse V8
 * flags in `execArgv`, but `resourceLimits` caps the young generation just as `--max-semi-space-size` does
 * for the child-process pools; without it, garbage alone reads as up to ~17 MB of peak. Everything else is
 * Vitest's own worker: the thread is created here and handed to it before it would create its own.
 */
class PinnedThreadsPoolWorker extends ThreadsPoolWorker {
  override readonly name = PINNED_THREADS_POOL

  override async start(): Promise<void> {
    const self = this as unknown as { _thread?: Worker }
    self._thread ??= new Worker(this.entrypoint, {
      env: this.env,
      execArgv: this.execArgv,
      stdout: true,
      stderr: true,
      resourceLimits: YOUNG_GENERATION_RESOURCE_LIMITS,
    })
    return super.start()
  }
}

/** A custom pool for `test.pool`: Vitest's threads pool with the young generation pinned. */
export const pinnedThreadsPool = {
  name: PINNED_THREADS_POOL,
  createPoolWorker: (options: PoolOptions) => new PinnedThreadsPoolWorker(options),
}
