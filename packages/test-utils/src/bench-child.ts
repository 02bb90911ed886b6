// A benchmark that measures memory runs each measurement in a child process of its own, started the way
// memgate measures (a pinned young generation): the benchmark script runs itself again with `--child` and
// a JSON request, and the child prints its answer as one JSON line.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { YOUNG_GENERATION_FLAGS, youngGeneration } from '@memgate/core'

const CHILD_FLAG = '--child'

/** What this process was started to do, if it is a measuring child: the JSON its parent passed. */
export function childRequest<T>(): T | undefined {
  const at = process.argv.indexOf(CHILD_FLAG)
  if (at < 0) return undefined
  if (!youngGeneration().pinned)
    throw new Error(`A child must start with ${YOUNG_GENERATION_FLAGS.join(' ')}`)
  return JSON.parse(process.argv[at + 1] ?? '') as T
}

/** The child's answer: one JSON line on stdout, read back by {@link runChild}. */
export function answer(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

/**
 * Runs `script` again in a fresh Node process (from `cwd`) with memgate's young-generation flags and the
 * request, and returns the JSON it answered. One process per measurement: nothing one leaves behind skews
 * the next.
 */
export function runChild<T>(script: URL, request: unknown, cwd: string): T {
  const output = execFileSync(
    process.execPath,
    [
      ...YOUNG_GENERATION_FLAGS,
      '--import',
      'tsx',
      fileURLToPath(script),
      CHILD_FLAG,
      JSON.stringify(request),
    ],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 2 ** 24 },
  )
  return JSON.parse(output.trim().split('\n').at(-1) ?? '') as T
}
