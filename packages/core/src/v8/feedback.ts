import { setFlagsFromString } from 'node:v8'

/**
 * Keeps V8's feedback (the ICs and type profiles each function collects) from appearing or vanishing inside a
 * span, where a leak reading would count it: the code statistics that reading subtracts do not include it.
 *
 * - `--no-flush-bytecode`: V8 throws away the bytecode of a function that has not run for a few full GCs, and
 *   that function's feedback with it. A leak diagnosis leaves much code unused at once: in the GCs after one, a
 *   GC flushed 12 kB of bytecode and freed 10 kB of feedback with it, and a ~130 kB leak measured right after a
 *   diagnosis read 98 kB (Node 24, 1 of 30 rounds).
 * - `--no-lazy-feedback-allocation`: V8 gives a function its feedback only after it has run a few times (about
 *   8), so code run once per measurement — memgate's own end path, a runner's hooks — got its feedback during a
 *   later measurement's span, and read as that span's leak: about 7 kB of the 10–17 kB an empty measurement
 *   read. Allocated eagerly, it comes when the function is compiled, which for that code is the first
 *   (warm-up) measurement. The trade-off: a function compiled inside a span and kept has its feedback in the
 *   span's leak even if it ran only once, where lazily it would have had none yet.
 *
 * Not undone when the span ends: V8's flags are the process's, and in a worker thread one span's end would
 * change them in the middle of another thread's span. The cost is the bytecode of functions that have stopped
 * running, which stays, and feedback for functions that run once.
 */
export function settleFeedback(): void {
  setFlagsFromString('--no-flush-bytecode')
  setFlagsFromString('--no-lazy-feedback-allocation')
}
