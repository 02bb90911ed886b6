import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// A benchmark that measures memory runs each measurement in a child process of its own, started the way
// memgate measures (core's young-generation flags): the benchmark script runs itself again with `--child`
// and a JSON request, and the child prints its answer as one JSON line. The flags come from the caller:
// core's tests depend on this package, so it cannot depend on core.

const CHILD_FLAG = '--child'

export interface BenchChildOptions {
  /** The example's folder: children run from there. */
  cwd: string
  /** The Node flags a child starts with: core's `YOUNG_GENERATION_FLAGS`. */
  flags: readonly string[]
  /** Whether this process started with them: `() => youngGeneration().pinned`. */
  started: () => boolean
}

/** The parent's and the child's side of measuring in a child process. */
export interface BenchChild {
  /** What this process was started to do, if it is a measuring child: the JSON its parent passed. */
  childRequest<T>(): T | undefined
  /** The child's answer: one JSON line on stdout, read back by `runChild`. */
  answer(result: unknown): void
  /**
   * Runs `script` again in a fresh Node process with the flags and the request, and returns the JSON it
   * answered. One process per measurement: nothing one leaves behind skews the next.
   */
  runChild<T>(script: URL, request: unknown): T
}

export function benchChild({ cwd, flags, started }: BenchChildOptions): BenchChild {
  return {
    childRequest<T>(): T | undefined {
      const at = process.argv.indexOf(CHILD_FLAG)
      if (at < 0) return undefined
      if (!started()) throw new Error(`A child must start with ${flags.join(' ')}`)
      return JSON.parse(process.argv[at + 1] ?? '') as T
    },
    answer(result: unknown): void {
      process.stdout.write(`${JSON.stringify(result)}\n`)
    },
    runChild<T>(script: URL, request: unknown): T {
      const output = execFileSync(
        process.execPath,
        [...flags, '--import', 'tsx', fileURLToPath(script), CHILD_FLAG, JSON.stringify(request)],
        { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 2 ** 24 },
      )
      return JSON.parse(output.trim().split('\n').at(-1) ?? '') as T
    },
  }
}
