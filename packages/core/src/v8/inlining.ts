import { Session } from 'node:inspector'
import { setFlagsFromString } from 'node:v8'
import { startedWith } from './flags.js'
import { postNow } from './inspector.js'

/**
 * V8's allocation tracker charges an allocation to the function whose frame is on the stack. A function the
 * optimizing compiler inlined has no frame of its own, so what it allocates would be charged to its caller
 * (`new Session()` in `openSession()`, inlined into a hot test loop, would read as allocated by the test).
 * For an allocation-tracked span: optimized code made before is thrown away (`deoptimize`), and neither
 * optimizing compiler (TurboFan, and Maglev where it inlines) inlines until `restore()` (idempotent), so every
 * function that allocates keeps its frame.
 */
export function keepFramesForAllocationTracking(deoptimize: boolean): { restore(): void } {
  if (deoptimize) deoptimizeAll()
  // Only the compilers that inline now are switched, and back on after: the process's own settings stand.
  const switched = INLINING.filter(inlines)
  for (const compiler of switched) setFlagsFromString(`--no-${compiler}`)
  let restored = false
  return {
    restore() {
      if (restored) return
      restored = true
      for (const compiler of switched) setFlagsFromString(`--${compiler}`)
    },
  }
}

const INLINING = ['turbo-inlining', 'maglev-inlining'] as const

/**
 * Whether the compiler inlines in this process: as started, else V8's default. TurboFan always does by default;
 * Maglev from V8 12 (`node --v8-options`: off on Node 20's V8 11.3, on on Node 22's 12.4 and Node 24's 13.6).
 */
function inlines(compiler: (typeof INLINING)[number]): boolean {
  if (startedWith(`--no-${compiler}`)) return false
  if (startedWith(`--${compiler}`)) return true
  return compiler === 'turbo-inlining' || v8Major() >= 12
}

function v8Major(): number {
  return Number.parseInt(process.versions.v8, 10)
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
