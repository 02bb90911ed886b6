import { formatSize } from '@memgate/core'

/** What the fixed downloader tells about its progress. */
export interface Progress {
  start(total: number | undefined): void
  done(id: string, bytes: number): void
  skipped(id: string): void
  failed(id: string, error: Error): void
  retry(id: string, error: Error, attempt: number): void
  finish(): void
}

/** The part of a `process.stdout` it writes to. */
export interface ProgressStream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

export const silentProgress: Progress = {
  start() {},
  done() {},
  skipped() {},
  failed() {},
  retry() {},
  finish() {},
}

/** A progress bar redrawn in place on a terminal; plain lines, one per event, anywhere else (a log, a pipe). */
export function createProgress(stream: ProgressStream, now: () => number = Date.now): Progress {
  return stream.isTTY ? barProgress(stream, now) : lineProgress(stream)
}

function lineProgress(stream: ProgressStream): Progress {
  return {
    start: (total) => stream.write(`starting: ${total === undefined ? 'every' : total} videos\n`),
    done: (id, bytes) => stream.write(`done ${id} (${formatSize(bytes)})\n`),
    skipped: (id) => stream.write(`skipped ${id} (downloaded by an earlier run)\n`),
    failed: (id, error) => stream.write(`failed ${id}: ${error.message}\n`),
    retry: (id, error, attempt) =>
      stream.write(`retrying ${id} after attempt ${attempt}: ${error.message}\n`),
    finish() {},
  }
}

function barProgress(stream: ProgressStream, now: () => number): Progress {
  let total: number | undefined
  let done = 0
  let skipped = 0
  let failed = 0
  let bytes = 0
  let drawnAt = Number.NEGATIVE_INFINITY
  const draw = (force = false) => {
    if (!force && now() - drawnAt < 100) return
    drawnAt = now()
    const handled = done + skipped + failed
    const counts = `${handled}${total === undefined ? '' : `/${total}`} videos, ${formatSize(bytes)}`
    const extra = `${skipped ? `, ${skipped} skipped` : ''}${failed ? `, ${failed} failed` : ''}`
    const text = `${counts}${extra}`
    // One width for the whole run (a bar that changes length jumps), leaving ~50 columns for the text.
    const room = Math.max(10, Math.min(40, (stream.columns ?? 80) - 52))
    const filled = total ? Math.round((room * handled) / total) : 0
    const bar = total === undefined ? '' : `[${'#'.repeat(filled)}${'-'.repeat(room - filled)}] `
    stream.write(`\r${bar}${text}\x1b[K`)
  }
  const above = (line: string) => {
    stream.write(`\r\x1b[K${line}\n`)
    draw(true)
  }
  return {
    start(count) {
      total = count
      draw(true)
    },
    done(_id, size) {
      done++
      bytes += size
      draw()
    },
    skipped() {
      skipped++
      draw()
    },
    failed(id, error) {
      failed++
      above(`failed ${id}: ${error.message}`)
    },
    retry() {},
    finish() {
      draw(true)
      stream.write('\n')
    },
  }
}
