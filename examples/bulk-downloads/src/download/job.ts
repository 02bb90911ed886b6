import type { Progress } from './progress.js'

/** What both downloaders take. */
export interface JobOptions {
  /** Path of the contents.json catalogue. */
  catalogue: string
  /** Folder the files go to (created if missing): `<id>.mp4` and `<id>.png`. */
  out: string
  /** Only the first this many videos of the catalogue. Default: all. */
  limit?: number
}

export interface FixedJobOptions extends JobOptions {
  /** Videos downloaded at once (each one file at a time). Default 4. */
  concurrency?: number
  /** Tries per file for transient failures (5xx, reset, timeout, short body). Default 4. */
  attempts?: number
  /** Wait before the first retry, doubled for each further one. Default 250 ms. */
  backoffMs?: number
  /** A connection silent for this long is given up and retried. Default 30 s. */
  idleTimeoutMs?: number
  progress?: Progress
}

export interface JobReport {
  /** Videos downloaded by this run. */
  downloaded: number
  /** Videos an earlier run had completed, not downloaded again. */
  skipped: number
  failed: { id: string; error: string }[]
  /** Bytes written to the output folder by this run. */
  bytes: number
  /** Retries after transient failures. */
  retries: number
}
