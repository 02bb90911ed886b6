import { setFlagsFromString } from 'node:v8'

/**
 * Stops V8 flushing bytecode in this process. V8 throws away the bytecode of a function that has not run for
 * a few full GCs, and with it that function's feedback (ICs, type profiles), which the code statistics a leak
 * reading subtracts do not count: flushed during a span, that feedback read as memory the span freed. A leak
 * diagnosis leaves much code unused at once: in the GCs after one, a GC flushed 12 kB of bytecode and freed
 * 10 kB of feedback with it, and a ~130 kB leak measured right after a diagnosis read 98 kB (Node 24, 1 of 30
 * rounds). Not undone when the span ends: V8's flags are the process's, and in a worker thread one span's end
 * would let V8 flush in the middle of another thread's span. The cost is the bytecode of functions that have
 * stopped running, which stays.
 */
export function holdBytecode(): void {
  setFlagsFromString('--no-flush-bytecode')
}
