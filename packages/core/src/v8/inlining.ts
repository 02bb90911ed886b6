import { Session } from 'node:inspector'
import { setFlagsFromString } from 'node:v8'
import { startedWith } from './flags.js'
import { postNow } from './inspector.js'

/**
 * V8's allocation tracker charges an allocation to the function whose frame is on the stack. A function the
 * optimizing compiler inlined has no frame of its own, so what it allocates would be charged to its caller
 * (`new Session()` in `openSession()`, inlined into a hot test loop, would read as allocated by the test).
 * For an allocation-tracked span: optimized code made before is thrown away (`deoptimize`), and TurboFan does
 * not inline until `restore()` (idempotent), so every function that allocates keeps its frame.
 */
export function keepFramesForAllocationTracking(deoptimize: boolean): { restore(): void } {
  if (deoptimize) deoptimizeAll()
  // Left as the process was started: off if it was started with it off.
  const wasOff = startedWith('--no-turbo-inlining')
  if (!wasOff) setFlagsFromString('--no-turbo-inlining')
  let restored = false
  return {
    restore() {
      if (restored || wasOff) return
      restored = true
      setFlagsFromString('--turbo-inlining')
    },
  }
}

/**
 * Switches V8's code coverage to precise mode and back to best effort: entering precise mode deoptimizes all
 * code (V8 does it so that call counts are exact). Not to be used while a coverage collector (NODE_V8_COVERAGE,
 * Vitest's v8 coverage) keeps precise mode on: switching back would end its precise coverage.
 */
function deoptimizeAll(): void {
  const session = new Session()
  session.connect()
  try {
    postNow(session, 'Profiler.enable')
    postNow(session, 'Profiler.startPreciseCoverage', { callCount: false, detailed: false })
    postNow(session, 'Profiler.stopPreciseCoverage')
    postNow(session, 'Profiler.disable')
  } finally {
    session.disconnect()
  }
}

/** Whether a coverage collector may keep V8's precise coverage on in this process. */
export function coverageCollected(): boolean {
  return Boolean(process.env.NODE_V8_COVERAGE)
}
