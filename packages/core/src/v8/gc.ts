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
function nextTurn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve))
}

/** Rounds of {@link runFinalizers}: the least that frees chains of two, and a bound on what it costs. */
const FINALIZER_ROUNDS = { min: 2, max: 4 }
/** A round that frees less than this ends the rounds (after the least). */
const FINALIZERS_DONE = 1024

/**
 * A full GC (unless the caller just ran one: `collected`), then rounds of a turn of the event loop and a full
 * GC, until a round frees (almost) nothing: the FinalizationRegistry callbacks that the collections made due
 * have run, and what they dropped is collected. Callbacks come in chains: undici's `WeakRef`s of fetch
 * responses on Node 24 were dropped only by the second round (the responses die once another callback of the
 * first has run). Costs a full GC a round.
 */
export async function runFinalizers(collected = false): Promise<void> {
  if (!collected) collectAllGarbage()
  let before = usedHeap()
  for (let round = 1; round <= FINALIZER_ROUNDS.max; round++) {
    await nextTurn()
    collectAllGarbage()
    const after = usedHeap()
    if (round >= FINALIZER_ROUNDS.min && before - after < FINALIZERS_DONE) return
    before = after
  }
}

function usedHeap(): number {
  return getHeapStatistics().used_heap_size
}
