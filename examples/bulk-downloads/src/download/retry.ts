import { setTimeout as sleep } from 'node:timers/promises'
import { DownloadError } from './errors.js'

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number
  /** Wait before the second try; doubled for each further one, with ±50% jitter, capped at 30 s. */
  backoffMs: number
  onRetry?: (error: DownloadError, attempt: number) => void
}

/** Runs `task` until it succeeds, it throws anything but a transient {@link DownloadError}, or tries run out. */
export async function withRetries<T>(task: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task()
    } catch (error) {
      if (!(error instanceof DownloadError) || !error.transient || attempt >= options.attempts) throw error
      options.onRetry?.(error, attempt)
      const base = Math.min(30_000, options.backoffMs * 2 ** (attempt - 1))
      await sleep(base * (0.5 + Math.random()))
    }
  }
}
