import { readFileSync, writeFileSync } from 'node:fs'

// The process's resident set (RSS) over a span, as `ps` counts it: every page of the process in RAM — V8's
// heap pages, used or kept in reserve, the allocator's free lists, compiled code, Node itself — not only
// what live objects hold. Its peak is the kernel's high-water mark (VmHWM), which only Linux lets a process
// reset (writing 5 to /proc/self/clear_refs); without that reset the mark is the whole process's life.

const STATUS = '/proc/self/status'
const CLEAR_REFS = '/proc/self/clear_refs'
const HIGH_WATER = /^VmHWM:\s+(\d+) kB$/m

/** The process's RSS over a span, in bytes. */
export interface RssSpan {
  /** RSS when the span started. */
  before: number
  /** The most RSS was during the span: the kernel's high-water mark, reset when the span started. */
  peak: number
}

export interface RssTracker {
  /** Ends the span: its figures, or `undefined` where the high-water mark could not be reset (not Linux). */
  stop(): RssSpan | undefined
}

/**
 * Starts a span: resets the kernel's RSS high-water mark and reads RSS. Start it after a full GC: garbage
 * resident at the reset sets the mark, and growth that only takes the place of that garbage once a GC frees it
 * never raises the mark (a 48 MiB Buffer in a Vitest worker read 128 kB above `before`).
 */
export function trackRss(): RssTracker {
  const reset = resetHighWater()
  const before = process.memoryUsage.rss()
  return {
    stop() {
      if (!reset) return undefined
      const peak = highWater()
      // The mark was reset to RSS as it was then, so it cannot read lower unless the read failed.
      return peak === undefined ? undefined : { before, peak: Math.max(peak, before) }
    },
  }
}

function resetHighWater(): boolean {
  if (process.platform !== 'linux') return false
  try {
    writeFileSync(CLEAR_REFS, '5')
    return true
  } catch {
    return false
  }
}

function highWater(): number | undefined {
  try {
    const kib = HIGH_WATER.exec(readFileSync(STATUS, 'utf8'))?.[1]
    return kib === undefined ? undefined : Number(kib) * 1024
  } catch {
    return undefined
  }
}
