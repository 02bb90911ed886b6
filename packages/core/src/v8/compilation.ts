import { setFlagsFromString } from 'node:v8'
import { startedWith } from './flags.js'

let finalize: (() => void) | null | undefined

/**
 * Waits for V8's background optimizing compiler to finish the jobs it has in flight, and installs their code.
 * A job holds the function it compiles, and with it everything that function's closure holds, until the main
 * thread takes the result: a reading after a full GC then still counts data the program already dropped, and
 * frees it in some later GC. Taken at the start of a measurement, that reading made the leak read low: after a
 * leak diagnosis (which throws away all optimized code, so that hot code is compiled again for seconds), 11 of
 * 40 ~122 kB leaks read under 100 kB, 4 of them 0 B, when 1.5–2 MB of the diagnosis's data was freed during the
 * measured span. With the jobs finished first: none of 40.
 *
 * Done with V8's `%FinalizeOptimization()`, a test intrinsic: native syntax is allowed for the compile that
 * makes the function, and for each call, and turned off again after each. For each call too: V8 flushes the
 * bytecode of a function that has not run for a while (seen after a few leak diagnoses and heap snapshots),
 * and the next call compiles it again — without native syntax, a SyntaxError ("Unexpected token '%'") that failed a
 * measurement started after a few leak diagnoses. Where it cannot be done (a V8 without it, code generation
 * from strings disallowed), this does nothing.
 */
export function finishCompilation(): void {
  if (finalize === undefined) finalize = compileFinalizer()
  const run = finalize
  if (run) withNativesSyntax(run)
}

function compileFinalizer(): (() => void) | null {
  try {
    return withNativesSyntax(() => new Function('%FinalizeOptimization()') as () => void)
  } catch {
    return null
  }
}

function withNativesSyntax<T>(run: () => T): T {
  const wasOn = startedWith('--allow-natives-syntax')
  try {
    if (!wasOn) setFlagsFromString('--allow-natives-syntax')
    return run()
  } finally {
    if (!wasOn) setFlagsFromString('--no-allow-natives-syntax')
  }
}
