/**
 * Base class of every error memgate raises for something the user can fix.
 * `code` is stable across versions, so tools may match on it.
 */
export class MemgateError extends Error {
  readonly code: string

  constructor(code: string, message: string) {
    super(message)
    this.name = new.target.name
    this.code = code
  }
}

/** A memory size that cannot be read (a limit, an option, a CLI flag). */
export class InvalidSizeError extends MemgateError {
  /** The value exactly as the user gave it. */
  readonly input: unknown

  constructor(input: unknown, reason: string) {
    super(
      'MEMGATE_INVALID_SIZE',
      `Invalid memory size ${describeInput(input)}: ${reason}. ` +
        'Give a number of bytes (e.g. 1048576) or a string with a unit: "100 B", "512 kB", "24 MB", "1.5 GiB" ' +
        '(kB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB are powers of 1024).',
    )
    this.input = input
  }
}

function describeInput(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input)
  if (typeof input === 'number' || typeof input === 'bigint' || typeof input === 'boolean')
    return String(input)
  if (input === null || input === undefined) return String(input)
  return `of type ${typeof input}`
}

/** A measurement was started while another one was running on the same thread. */
export class MeasurementOverlapError extends MemgateError {
  constructor() {
    super(
      'MEMGATE_MEASUREMENT_OVERLAP',
      'A memgate measurement is already running on this thread. Measurements share one heap and cannot ' +
        'overlap: await the running one (or call its stop()) before starting another, and do not measure ' +
        'tests that run concurrently.',
    )
  }
}

/** V8 forgot its object ids while tracking: another inspector session closed with the heap profiler in use. */
export class LeakTrackingResetError extends MemgateError {
  constructor() {
    super(
      'MEMGATE_LEAK_TRACKING_RESET',
      'V8 forgot its heap object ids during leak tracking (another inspector session used the heap profiler ' +
        'and closed, e.g. a memgate measurement or a debugger), so objects made during the span cannot be ' +
        'told from older ones. Start leak tracking after the other session has closed, and do not measure ' +
        'inside a leak-tracked span.',
    )
  }
}

/** A heap snapshot memgate cannot read: cut short, or laid out otherwise than it reads V8's format. */
export class HeapSnapshotFormatError extends MemgateError {
  constructor(problem: string) {
    super(
      'MEMGATE_HEAP_SNAPSHOT_FORMAT',
      `Unreadable heap snapshot: ${problem}. A snapshot cut short (a full disk, a file changed while ` +
        `memgate read it) or laid out otherwise than memgate reads V8's format (Node ${process.versions.node}) ` +
        'cannot be analysed. Run the leak tracking again; if it fails the same way, report it to memgate with ' +
        'your Node version.',
    )
  }
}

/** A benchmark's memory went over a limit set on one of its tasks (`bench.add(name, fn, { memory })`). */
export class BenchMemoryLimitError extends MemgateError {
  /** One line per figure over its limit: `task "parse": peak 25.3 MB, over its limit of 10 MB`. */
  readonly violations: readonly string[]

  constructor(violations: readonly string[]) {
    super(
      'MEMGATE_BENCH_MEMORY_LIMIT',
      `${tasksIn(violations) === 1 ? 'A benchmark task went' : 'Benchmark tasks went'} over a memory limit:\n` +
        violations.map((line) => `  ${line}`).join('\n'),
    )
    this.violations = violations
  }
}

/** `withMemory()` used in a way it cannot measure: the message says what to change. */
export class BenchSetupError extends MemgateError {
  constructor(message: string) {
    super('MEMGATE_BENCH_SETUP', message)
  }
}

/** The child process that measures a benchmark task's memory failed or gave no answer. */
export class BenchChildError extends MemgateError {
  constructor(task: string, problem: string, stderr: string) {
    const tail = stderr.trim().slice(-2000)
    super(
      'MEMGATE_BENCH_CHILD',
      `The process that measures the memory of task "${task}" ${problem}. It runs this script again with ` +
        '--max-semi-space-size=1 and measures that task only: the script must build the same benches, in the same ' +
        `order, and call run() on them.${tail ? `\nIts stderr:\n${tail}` : ''}`,
    )
  }
}

function tasksIn(violations: readonly string[]): number {
  return new Set(violations.map((line) => /^task "(.*?)":/.exec(line)?.[1] ?? line)).size
}
