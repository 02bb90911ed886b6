import { LeakTrackingResetError } from '../errors.js'
import { maxObjectId } from '../heap/groups.js'
import { openHeapProfiler } from '../heap/snapshot.js'
import type { HeapProfilerSession } from '../heap/types.js'
import { renewBufferPool } from '../measure/buffer-pool.js'
import {
  coverageCollected,
  keepFramesForAllocationTracking,
  keepTracesForAllocationTracking,
  type SwitchedFlags,
} from '../v8/allocation-tracking.js'
import { now } from '../v8/clock.js'
import { prepareGarbageCollection, runFinalizers } from '../v8/gc.js'
import { type DiagnoseOptions, diagnose, type LeakDiagnosis, PHASE, phaseTimes } from './diagnosis.js'

/** A running leak tracking: objects alive now are known, everything made later can be diagnosed. */
export interface LeakTracking {
  /** Full GC, heap snapshot, and the objects made since the start that are still alive, grouped. */
  diagnose(options?: DiagnoseOptions): LeakDiagnosis
  /** Stops tracking (V8 forgets its object ids). Call it once, also after a failure. */
  stop(): void
}

export interface LeakTrackingOptions {
  /**
   * How objects alive at the start are marked when allocations are not tracked (`trackAllocations: false`).
   * `'snapshot'` (default): one heap snapshot now, of which only the object ids are read (~0.6 s in a Vitest
   * worker, ~8 s for 100 MB in 2 million small objects: V8 takes the whole graph), and nothing more until
   * the diagnosis. `'tracking'`: V8's heap object tracking (two walks of the heap, each after a full GC:
   * ~40 ms in a Vitest worker, ~1.5 s on that 100 MB heap), but while the event loop turns V8 then updates
   * its ids every 50 ms (a full GC and a heap walk each time): fine for short or synchronous spans, ruinous
   * for long async ones on a large heap (35× slower on a 25 MB heap). With `trackAllocations` (the default)
   * V8 tracks the objects anyway, so the mark is always made by the walks.
   */
  mark?: 'snapshot' | 'tracking'
  /**
   * Track where each object made during the span is allocated (V8's allocation tracking), so that every
   * group of the diagnosis carries its allocation `sites`. Default true. It makes the span slower: V8 records
   * the stack of every allocation and allocates nothing on its fast path (a body making 500,000 small objects
   * ran ~9× slower in BENCHMARKS.md, "Leak diagnosis"), and, as with `mark: 'tracking'`, V8 updates its object
   * ids every 50 ms while the event loop turns. Full GCs do not compact the heap until `diagnose()` or
   * `stop()`: V8 loses the stack of an object it moves once it has an id. `false` leaves the span at full
   * speed, without sites.
   */
  trackAllocations?: boolean
  /**
   * With `trackAllocations`: throw away V8's optimized code before the span, so that a function inlined into
   * a hot caller by earlier runs is charged its own allocations (V8's tracker sees only frames on the stack;
   * TurboFan also stops inlining until `diagnose()` or `stop()`). Done by switching V8's code coverage to
   * precise mode and back, so it must be `false` while a V8 coverage collector runs in this process (Vitest's
   * `coverage.provider: 'v8'`, c8): switching back would end its precise coverage. Default: true, false when
   * `NODE_V8_COVERAGE` is set.
   */
  deoptimize?: boolean
}

/**
 * Starts leak tracking on this thread: marks the objects alive now, so that a later `diagnose()` reports only
 * objects made since. Its inspector session stays open until `stop()`; another session that uses the heap
 * profiler and closes meanwhile (a memgate measurement's sampler) makes V8 forget the marks, and `diagnose()`
 * then throws {@link LeakTrackingResetError}.
 */
export async function startLeakTracking(options: LeakTrackingOptions = {}): Promise<LeakTracking> {
  const allocations = options.trackAllocations ?? true
  const span = openSpan(allocations, options.deoptimize)
  span.mark(options.mark, allocations)
  return span.tracking
}

/** A session and its tracking, not marked yet: everything memgate keeps for the span is made here. */
function openSpan(allocations: boolean, deoptimize = !coverageCollected()): LeakSpan {
  // Before the mark: V8's coverage switch allocates.
  const frames = allocations ? keepFramesForAllocationTracking(deoptimize) : undefined
  const traces = allocations ? keepTracesForAllocationTracking() : undefined
  // The mark forces no GC of its own (V8's walks and snapshots collect first), but code in the span may:
  // the first `collectGarbage()` of a thread makes `gc()` in a new context, so that is done now.
  prepareGarbageCollection()
  let session: HeapProfilerSession
  try {
    session = openHeapProfiler()
  } catch (error) {
    frames?.restore()
    traces?.restore()
    throw error
  }
  // The sentinel, made before the mark so that V8 gives it an id then (a walk mark makes a fresh one
  // between its walks, with this same expression: its script is then V8's cached one, already marked).
  // Made in the inspector's default context, where `sentinelId` looks for it (a test run in a `vm` context,
  // as Vitest's vmThreads pool does, has a global of its own).
  session.post('Runtime.evaluate', { expression: NEW_SENTINEL })
  return new LeakSpan(session, frames, traces)
}

/**
 * A leak-tracked span: opened by {@link openSpan}, then marked (every object alive now is old), diagnosed and
 * stopped. Made before the mark, like all it holds.
 */
class LeakSpan {
  /** The user's handle; its methods work detached from it. */
  readonly tracking: LeakTracking
  /** The highest heap object id at the mark: objects above it were made during the span. */
  private markValue = -1
  /** The sentinel's id at the mark: another one later means V8 forgot its ids. */
  private sentinel = ''
  private stopped = false

  constructor(
    private readonly session: HeapProfilerSession,
    private readonly frames: SwitchedFlags | undefined,
    private readonly traces: SwitchedFlags | undefined,
  ) {
    this.tracking = {
      diagnose: (options) => this.diagnose(options),
      stop: () => this.stop(),
    }
  }

  /**
   * Marks every object alive now as old: by V8's walks when it tracks allocations or is asked to, else by a
   * snapshot (see {@link LeakTrackingOptions.mark}). Nothing of memgate's is awaited from here on.
   */
  mark(how: LeakTrackingOptions['mark'], allocations: boolean): void {
    const startedAt = now()
    // On a fresh pool, as a measurement starts: see renewBufferPool.
    renewBufferPool()
    try {
      if (allocations || how === 'tracking') this.markByWalks(allocations)
      else this.markBySnapshot()
    } catch (error) {
      this.stop()
      throw error
    }
    phaseTimes[PHASE.mark] = now() - startedAt
  }

  /**
   * Marks by a snapshot: its highest object id. V8 collects all garbage first itself; only the snapshot's
   * nodes are read (their ids), not its edges or strings.
   */
  private markBySnapshot(): void {
    this.markValue = maxObjectId(this.session.snapshot(undefined, 'nodes'))
    this.sentinel = sentinelId(this.session)
  }

  /**
   * Marks by V8's heap object tracking, synchronously. Starting it walks the heap after a full GC and gives
   * every object alive an id; an object made after that has none until the next walk, and starting the
   * tracking again walks again. So: a first walk, a fresh sentinel, a second walk (with allocation tracking
   * from then on, if asked), and the sentinel's id is the mark: every object alive before the first walk
   * has a lower id, every object made after the second a higher one. (The id V8 reports as
   * `lastSeenObjectId` would do too, but only from its first timer tick, 50 ms and another walk later.)
   */
  private markByWalks(allocations: boolean): void {
    this.session.trackObjects(false)
    this.session.post('Runtime.evaluate', { expression: NEW_SENTINEL })
    this.session.trackObjects(allocations)
    this.sentinel = sentinelId(this.session)
    this.markValue = Number(this.sentinel)
    if (!(this.markValue > 0))
      throw new Error('memgate: V8 gave the leak tracking sentinel no heap object id')
  }

  diagnose(options: DiagnoseOptions = {}): LeakDiagnosis {
    if (this.stopped) throw new Error('memgate: diagnose() called after stop()')
    if (sentinelId(this.session) !== this.sentinel) throw new LeakTrackingResetError()
    // The span's code has run: memgate's own analysis gets TurboFan's inlining back. Compaction only once
    // the snapshot has read the allocation stacks (its own full GCs would lose them).
    this.frames?.restore()
    try {
      return diagnose(this.session, this.markValue, options)
    } finally {
      this.traces?.restore()
    }
  }

  /** Diagnoses, then stops, also when the diagnosis fails. */
  diagnoseAndStop(options: DiagnoseOptions): LeakDiagnosis {
    try {
      return this.diagnose(options)
    } finally {
      this.stop()
    }
  }

  stop(): void {
    if (this.stopped) return
    this.stopped = true
    this.frames?.restore()
    this.traces?.restore()
    this.session.close()
  }
}

const SENTINEL = "globalThis[Symbol.for('memgate.leaks.sentinel')]"
const NEW_SENTINEL = `${SENTINEL} = {}, undefined`

/**
 * The heap object id of an object that lives as long as the session holds it. It changes (or reads "0") if
 * V8 forgot its ids, which any other inspector session does when it closes with the heap profiler in use.
 */
function sentinelId(session: HeapProfilerSession): string {
  const { result } = session.post('Runtime.evaluate', {
    expression: SENTINEL,
    objectGroup: 'memgate-leaks',
  }) as { result: { objectId: string } }
  try {
    const id = session.post('HeapProfiler.getHeapObjectId', { objectId: result.objectId })
    return (id as { heapSnapshotObjectId: string }).heapSnapshotObjectId
  } finally {
    session.post('Runtime.releaseObject', { objectId: result.objectId })
  }
}

export interface DiagnoseLeaksOptions extends DiagnoseOptions, LeakTrackingOptions {
  /**
   * Runs of `fn` before tracking starts (default 0). One run fills lazy caches and one-time state, so what is
   * left after the tracked run is growth per call: a module cache filled once is not reported, one that grows
   * on every call is. Mind the side effects of running `fn` more than once.
   */
  warmup?: number
}

/**
 * Runs `fn` (sync or async) under leak tracking and diagnoses what it left behind. Between the mark and the
 * diagnosis nothing of memgate's own is awaited when `fn` is synchronous, so its own promises do not read as
 * leaks; for an async `fn` one promise of memgate's may (~100 B).
 */
export async function diagnoseLeaks(
  fn: () => unknown,
  options: DiagnoseLeaksOptions = {},
): Promise<LeakDiagnosis> {
  const { warmup = 0, mark, trackAllocations = true, deoptimize, ...diagnoseOptions } = options
  for (let run = 0; run < warmup; run++) await fn()
  const span = openSpan(trackAllocations, deoptimize)
  // Nothing is awaited after the mark (a promise of memgate's would read as a leak of `fn`).
  span.mark(mark, trackAllocations)
  let result: unknown
  try {
    result = fn()
  } catch (error) {
    span.stop()
    throw error
  }
  if (!isThenable(result)) return span.diagnoseAndStop(diagnoseOptions)
  return Promise.resolve(result).then(
    // Already async: a turn more lets the FinalizationRegistry callbacks `fn` made due run first.
    async () => {
      await runFinalizers()
      return span.diagnoseAndStop(diagnoseOptions)
    },
    (error: unknown) => {
      span.stop()
      throw error
    },
  )
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}
