/** A progress line for work that may take more than a second. */
export interface Progress {
  /** Shows `text` once the work has taken `delayMs`, or at once with `now` (work known to be slow). */
  update(text: string, now?: boolean): void
  /** Clears the line, if one was shown. */
  done(): void
}

interface ProgressOptions {
  stream?: NodeJS.WriteStream
  /** Milliseconds before the first line shows. Default 1000. */
  delayMs?: number
}

/** Captures from this size on take a second or more to read (BENCHMARKS.md): their progress shows at once. */
export const SLOW_CAPTURE_BYTES = 20e6

// At most this often a line is redrawn, so a fast loop costs nothing.
const REDRAW_MS = 100

/**
 * A one-line progress indicator on stderr, redrawn in place. It writes only to a terminal: in a pipe or a
 * file it writes nothing, so scripts read clean output.
 */
export function startProgress(options: ProgressOptions = {}): Progress {
  const { stream = process.stderr, delayMs = 1000 } = options
  const started = Date.now()
  let width = 0
  let drawnAt = 0
  if (!stream.isTTY) return { update() {}, done() {} }
  return {
    update(text, now = false) {
      const at = Date.now()
      if (!now && (at - started < delayMs || at - drawnAt < REDRAW_MS)) return
      drawnAt = at
      const columns = stream.columns || 80
      const line = `memgate: ${text}`.slice(0, columns - 1)
      stream.write(`\r${line.padEnd(width)}`)
      width = line.length
    },
    done() {
      if (width > 0) stream.write(`\r${' '.repeat(width)}\r`)
      width = 0
    },
  }
}
