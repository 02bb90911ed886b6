import { Session } from 'node:inspector'
import { setFlagsFromString } from 'node:v8'
import { startedWith } from './flags.js'
import { postNow } from './inspector.js'

/** V8 settings switched for a span, until `restore()` (idempotent). */
export interface SwitchedFlags {
  restore(): void
}

/**
 * V8's allocation tracker charges an allocation to the function whose frame is on the stack. A function the
 * optimizing compiler inlined has no frame of its own, so what it allocates would be charged to its caller
 * (`new Session()` in `openSession()`, inlined into a hot test loop, would read as allocated by the test).
 * For an allocation-tracked span: optimized code made before is thrown away (`deoptimize`), and neither
 * optimizing compiler (TurboFan, and Maglev where it inlines) inlines until `restore()`, so every function
 * that allocates keeps its frame.
 */
export function keepFramesForAllocationTracking(deoptimize: boolean): SwitchedFlags {
  if (deoptimize) deoptimizeAll()
  return switchOff(['turbo-inlining', 'maglev-inlining'])
}

/**
 * V8's allocation tracker keeps each allocation's stack by address, and moves that record along with an
 * object only while the object has no heap-object id (`HeapProfiler::ObjectMoveEvent`). While the event loop
 * turns, the inspector gives every live object an id every 50 ms (a full GC, then a heap walk), so an object
 * a later full GC compacted to another page lost its stack, or read the stack of what was allocated there
 * before: with 2,000 HTTP requests each leaving an object behind, 1 in 70 of those objects kept its stack.
 * So full GCs do not compact until `restore()`, which must come after the snapshot that reads the stacks
 * (young objects still move: a full GC promotes them before its heap walk, while they have no id). The heap
 * may fragment meanwhile; nothing else changes.
 */
export function keepTracesForAllocationTracking(): SwitchedFlags {
  return switchOff(['compact'])
}

type Switchable = 'turbo-inlining' | 'maglev-inlining' | 'compact'

/** Only what is on now is switched off, and back on after: the process's own settings stand. */
function switchOff(flags: readonly Switchable[]): SwitchedFlags {
  const switched = flags.filter(isOn)
  for (const flag of switched) setFlagsFromString(`--no-${flag}`)
  let restored = false
  return {
    restore() {
      if (restored) return
      restored = true
      for (const flag of switched) setFlagsFromString(`--${flag}`)
    },
  }
}

/**
 * Whether the flag is on in this process: as started, else V8's default. Compaction and TurboFan's inlining
 * are on by default; Maglev's inlining from V8 12 (`node --v8-options`: off on Node 20's V8 11.3, on on
 * Node 22's 12.4 and Node 24's 13.6).
 */
function isOn(flag: Switchable): boolean {
  if (startedWith(`--no-${flag}`)) return false
  if (startedWith(`--${flag}`)) return true
  return flag !== 'maglev-inlining' || v8Major() >= 12
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
