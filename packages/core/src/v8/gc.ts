import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void

let gcFunction: GcFunction | undefined

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
