// The process's resident set around a task's memory pass under withMemory(bench), which gives no RSS: the
// bench's setup/teardown hooks read it. tinybench calls them around each phase of a task (here the timed run)
// and withMemory around the task's memory pass, which comes after every task's timing: a task's last span is
// its memory pass.
import type { Task } from 'tinybench'

/** Bytes, as `ps` counts them. */
export interface ProcessMemory {
  /** `process.memoryUsage.rss()` when the span started. */
  before: number
  /** The highest resident set during the span. */
  peak: number
}

const EVERY_MS = 10

const maxRss = () => process.resourceUsage().maxRSS * 1024

/** Hooks for `new Bench({ ...hooks })`, and each task's last span once `bench.run()` has resolved. */
export function processMemoryOfLastRun() {
  const last = new Map<string, ProcessMemory>()
  let span: { before: number; maxRssBefore: number; peak: number; timer: NodeJS.Timeout } | undefined
  return {
    hooks: {
      setup: () => {
        const before = process.memoryUsage.rss()
        const reading = { before, maxRssBefore: maxRss(), peak: before }
        const timer = setInterval(() => {
          reading.peak = Math.max(reading.peak, process.memoryUsage.rss())
        }, EVERY_MS)
        span = Object.assign(reading, { timer })
      },
      teardown: (task?: Task) => {
        if (!span || !task) return
        clearInterval(span.timer)
        const high = maxRss()
        // getrusage's high-water mark is exact, but the whole process's: it is this span's only if it rose.
        const peak = Math.max(span.peak, process.memoryUsage.rss(), high > span.maxRssBefore ? high : 0)
        last.set(task.name, { before: span.before, peak })
        span = undefined
      },
    },
    of: (task: string) => last.get(task),
  }
}
