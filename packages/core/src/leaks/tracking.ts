import { LeakTrackingResetError } from '../errors.js'
import { maxObjectId } from '../heap/groups.js'
import { openHeapProfiler } from '../heap/snapshot.js'
import type { HeapProfilerSession } from '../heap/types.js'
import { collectGarbage } from '../v8/gc.js'
import { coverageCollected, keepFramesForAllocationTracking } from '../v8/inlining.js'
import { type DiagnoseOptions, diagnose, type LeakDiagnosis } from './diagnosis.js'

/** A running leak tracking: objects alive now are known, everything made later can be diagnosed. */
export interface LeakTracking {
  /** Full GC, heap snapshot, and the objects made since the start that are still alive, grouped. */
  diagnose(options?: DiagnoseOptions): LeakDiagnosis
  /** Stops tracking (V8 forgets its object ids). Call it once, also after a failure. */
  stop(): void
}

export interface LeakTrackingOptions {
  /**
   * How objects alive at the start are marked. `'snapshot'` (default): one heap snapshot now, as slow as the
   * diagnosis (~0.4 s on a small heap, ~1.5 s for 10 MB of small objects), and nothing more until then.
   * `'tracking'`: V8's heap object tracking (a full GC and one walk of the heap, ~60 ms), but while the event
   * loop turns V8 then updates its ids every 50 ms (a full GC and a heap walk each time): fine for short or
   * synchronous spans, ruinous for long async ones on a large heap (35× slower on a 25 MB heap).
   */
  mark?: 'snapshot' | 'tracking'
  /**
   * Track where each object made during the span is allocated (V8's allocation tracking), so that every
   * group of the diagnosis carries its allocation `sites`. Default true. It makes the span slower: V8 records
   * the stack of every allocation and allocates nothing on its fast path (a body making 500,000 small objects
   * ran ~9× slower in BENCHMARKS.md, "Leak diagnosis"), and, as with `mark: 'tracking'`, V8 updates its object
   * ids every 50 ms while the event loop turns. `false` leaves the span at full speed, without sites.
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
  if (options.mark === 'tracking') await span.markByTracking(allocations)
  else span.markBySnapshot(allocations)
  return span.tracking
}

/** A session and its tracking, not marked yet: everything memgate keeps for the span is made here. */
function openSpan(allocations: boolean, deoptimize = !coverageCollected()): LeakSpan {
  // Before the mark: V8's coverage switch allocates.
  const frames = allocations ? keepFramesForAllocationTracking(deoptimize) : undefined
  // The first GC of a thread makes `gc()` in a new context (a whole realm of builtins): not after the mark.
  collectGarbage()
  let session: HeapProfilerSession
  try {
    session = openHeapProfiler()
  } catch (error) {
    frames?.restore()
    throw error
  }
  // Made before the mark, so V8 gives it an id then.
  // Made in the inspector's default context, where `sentinelId` looks for it (a test run in a `vm` context,
  // as Vitest's vmThreads pool does, has a global of its own).
  session.post('Runtime.evaluate', { expression: `${SENTINEL} ??= {}, undefined` })
  return new LeakSpan(session, frames)
}

/**
 * A leak-tracked span: opened by {@link openSpan}, then marked (every object alive now is old), diagnosed and
 * stopped. Made before the mark, like all it holds.
 */
class LeakSpan {
  /** The user's handle; its methods work detached from it. */
  readonly tracking: LeakTracking
  /** The highest heap object id at the mark: objects above it were made during the span. */
  private mark = -1
  /** The sentinel's id at the mark: another one later means V8 forgot its ids. */
  private sentinel = ''
  private stopped = false

  constructor(
    private readonly session: HeapProfilerSession,
    private readonly frames: { restore(): void } | undefined,
  ) {
    this.tracking = {
      diagnose: (options) => this.diagnose(options),
      stop: () => this.stop(),
    }
  }

  /** Marks by a snapshot: its highest object id. */
  markBySnapshot(allocations: boolean): void {
    try {
      collectGarbage()
      this.mark = maxObjectId(this.session.snapshot())
      this.sentinel = sentinelId(this.session)
      if (allocations) this.session.trackObjects(true)
    } catch (error) {
      this.stop()
      throw error
    }
  }

  /** Marks by V8's object tracking: the last object id it reports first. */
  markByTracking(allocations: boolean): Promise<void> {
    try {
      const first = new Promise<void>((resolve) => {
        this.session.on('HeapProfiler.lastSeenObjectId', (params) => {
          if (this.mark >= 0) return
          this.mark = params.lastSeenObjectId as number
          resolve()
        })
      })
      this.session.trackObjects(allocations)
      this.sentinel = sentinelId(this.session)
      return first.catch((error: unknown) => {
        this.stop()
        throw error
      })
    } catch (error) {
      this.stop()
      throw error
    }
  }

  diagnose(options: DiagnoseOptions = {}): LeakDiagnosis {
    if (this.stopped) throw new Error('memgate: diagnose() called after stop()')
    if (sentinelId(this.session) !== this.sentinel) throw new LeakTrackingResetError()
    // The span's code has run: memgate's own analysis gets TurboFan's inlining back.
    this.frames?.restore()
    return diagnose(this.session, this.mark, options)
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
    this.session.close()
  }
}

const SENTINEL = "globalThis[Symbol.for('memgate.leaks.sentinel')]"

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
  // Nothing is awaited after the snapshot mark (a promise of memgate's would read as a leak of `fn`).
  if (mark === 'tracking') await span.markByTracking(trackAllocations)
  else span.markBySnapshot(trackAllocations)
  let result: unknown
  try {
    result = fn()
  } catch (error) {
    span.stop()
    throw error
  }
  if (!isThenable(result)) return span.diagnoseAndStop(diagnoseOptions)
  return Promise.resolve(result).then(
    () => span.diagnoseAndStop(diagnoseOptions),
    (error: unknown) => {
      span.stop()
      throw error
    },
  )
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}
