import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void

let gcFunction: GcFunction | undefined
// Taken as memgate loads, before a test can fake the timers (`vi.useFakeTimers()` replaces the global one).
const realSetImmediate = globalThis.setImmediate

/**
 * V8's `gc()`, obtained without the user passing `--expose-gc`: the flag is set at run time and the function
 * taken from a fresh context (in the `threads` pools `--expose-gc` in `execArgv` crashes the worker).
 */
function gc(): GcFunction {
  if (gcFunction) return gcFunction
  const global = globalThis as { gc?: GcFunction }
  if (typeof global.gc === 'function') {
    gcFunction = global.gc
  } else {
    setFlagsFromString('--expose-gc')
    gcFunction = runInNewContext('gc') as GcFunction
  }
  return gcFunction
}

/**
 * Makes V8's `gc()` ready without collecting: the first call in a thread makes it in a new context (a whole
 * realm of builtins), which a leak tracking's mark must come after.
 */
export function prepareGarbageCollection(): void {
  gc()
}

/**
 * A full, synchronous collection, twice: the first can leave objects kept only by weak callbacks or
 * finalizers that the second then frees, so that the heap reads the same before and after a no-op.
 * Plain `gc()`: on Node 20 `gc({ type: 'major' })` runs a scavenge and frees nothing old.
 */
export function collectGarbage(): void {
  const collect = gc()
  collect()
  collect()
}

/**
 * One young-generation collection: cheap, and enough to free short-lived objects and their Buffers.
 * (On Node 20 `gc({ type: 'major' })` also runs a scavenge, not a full GC; only plain `gc()` is full.)
 */
export function collectYoungGarbage(): void {
  gc()({ type: 'minor' })
}

/** One full collection. */
export function collectAllGarbage(): void {
  gc()()
}

/**
 * One turn of the event loop. V8 runs FinalizationRegistry cleanup callbacks as a task after the GC that found
 * their targets dead, never inside synchronous code: what only such a callback drops (undici keeps a
 * `WeakRef` per fetch response in its registry, ~65 kB after 2,000 requests) is garbage only after a turn.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve))
}

/** Rounds of {@link runFinalizers}: past the least, a round can end them; the most bounds the cost. */
const FINALIZER_ROUNDS = { min: 2, max: 5 }
/** A round that frees less than this ends the rounds (after the least). */
const FINALIZERS_DONE = 1024
/** Turns a round waits at most for its sentinel's callback: one registry's callbacks run per turn. */
const SENTINEL_TURNS = 256

/**
 * A registry of its own with one target, dead from the start: made due by the next full GC. V8 runs the
 * callbacks of one registry per task, in the order the collections made the registries due, so once this
 * one's has run, so have those of every registry made due by an earlier collection.
 * Made in a frame of its own, so that no register of the caller's keeps the target.
 */
function armSentinel(): { registry: FinalizationRegistry<{ ran: boolean }>; flag: { ran: boolean } } {
  const flag = { ran: false }
  const registry = new FinalizationRegistry<{ ran: boolean }>((held) => {
    held.ran = true
  })
  registry.register({}, flag)
  return { registry, flag }
}

/**
 * Rounds of a full GC and the turns of the event loop that run the FinalizationRegistry callbacks it made due,
 * until a round's GC frees (almost) nothing: what those callbacks dropped is collected. Callbacks come in
 * chains: undici's `WeakRef`s of fetch responses on Node 24 were dropped only by the second round (the
 * responses die once another callback of the first has run). A round waits for a sentinel registry's
 * callback rather than a single turn: V8 runs one registry's callbacks per turn, and a test runner's worker
 * has many registries (with 40 others due, a chain of two was left half run). Costs a full GC a round.
 */
export async function runFinalizers(): Promise<void> {
  let before = Number.POSITIVE_INFINITY
  for (let round = 1; round <= FINALIZER_ROUNDS.max; round++) {
    const sentinel = armSentinel()
    collectAllGarbage()
    const after = usedHeap()
    // Also after the last GC: registries it made due may be queued behind the sentinel of the one before.
    for (let turn = 0; turn < SENTINEL_TURNS && !sentinel.flag.ran; turn++) await nextTurn()
    if (round > FINALIZER_ROUNDS.min && before - after < FINALIZERS_DONE) return
    before = after
  }
}

function usedHeap(): number {
  return getHeapStatistics().used_heap_size
}
