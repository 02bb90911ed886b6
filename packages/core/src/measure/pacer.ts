import { Readable } from 'node:stream'
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { collectAllGarbage, collectYoungGarbage } from '../v8/gc.js'

export interface PacerOptions {
  /** External-memory growth since the last low point that forces a young-generation GC. Default 2 MiB. */
  step?: number
  /** External-memory growth since the last full GC that forces a full GC instead. Default 8 MiB. */
  majorStep?: number
  /**
   * Also count `new Uint8Array(n)`, `new ArrayBuffer(n)` and the other typed-array constructors. Off by
   * default: while it is on, those globals are proxies, so `new Uint8Array(1).constructor === Uint8Array`
   * is false inside the measured code.
   */
  typedArrays?: boolean
  /**
   * Milliseconds between two looks at the JS heap from a helper thread, which forces a full GC when the
   * heap grew past an allowance since the last one: that bounds the garbage of objects that outlived the
   * young generation. While the heap is less than half way to the allowance the wait doubles, up to 4 ms.
   * On a process's main thread the helper interrupts it directly; in a worker thread the looks are relayed
   * by the process's main thread (its inspector), so they stop while that thread is blocked in native code:
   * if it cannot relay within a second at the start, or stalls more than 100 ms during the span, the
   * measurement says `heapPacing: false`. `false` turns it off. Default 1.
   */
  interrupts?: number | false
}

export interface Pacer {
  stop(): { forced: number }
}

const MiB = 2 ** 20
/** Bytes of hooked allocation between two looks at external memory. */
const CHECK_EVERY = MiB
const TYPED_ARRAYS = [
  'ArrayBuffer',
  'Uint8Array',
  'Int8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const

/**
 * Bounds the garbage that external memory piles up while measuring. V8 frees dead Buffers only at a GC and
 * starts one for external memory only past ~32–64 MB, so streaming in 64 KB chunks would read tens of MB of
 * "peak" that is garbage. The pacer hooks the places Buffers come from in JS — `Buffer`'s factories and
 * `Readable#push` (which every socket and HTTP chunk allocated by Node's C++ side passes) — and every MiB
 * of them looks at external memory: past `step` of growth it forces a young-generation GC, past `majorStep`
 * since the last full GC a full one. Concurrent array-buffer sweeping is off meanwhile, so the memory a GC
 * frees leaves the count at that GC and not later. Everything is restored by `stop()`.
 */
export function startPacer(options: PacerOptions = {}): Pacer {
  const step = options.step ?? 2 * MiB
  const majorStep = options.majorStep ?? 8 * MiB
  setFlagsFromString('--no-concurrent-array-buffer-sweeping')
  const readExternal = () => getHeapStatistics().external_memory
  const startExternal = readExternal()
  let low = startExternal
  let lowAtFullGc = low
  let pending = 0
  let forced = 0

  // The allowances grow with what is really held (10% and 25% of it), so building up 100 MB of Buffers
  // costs a few dozen young GCs, not one per Buffer, while garbage from streaming stays within `step`.
  const look = () => {
    const external = readExternal()
    if (external < low) {
      low = external
      lowAtFullGc = Math.min(lowAtFullGc, external)
      return
    }
    const held = low - startExternal
    if (external - low <= Math.max(step, 0.1 * held)) return
    forced++
    if (external - lowAtFullGc > Math.max(majorStep, 0.25 * held)) {
      collectAllGarbage()
      lowAtFullGc = readExternal()
    } else {
      collectYoungGarbage()
    }
    low = readExternal()
  }
  const count = (bytes: number) => {
    pending += bytes
    if (pending < CHECK_EVERY) return
    pending = 0
    look()
  }

  const restore: (() => void)[] = []
  const replace = (owner: object, key: string, make: (original: never) => unknown) => {
    const slots = owner as Record<string, unknown>
    const original = slots[key]
    slots[key] = make(original as never)
    restore.push(() => {
      slots[key] = original
    })
  }
  for (const key of ['alloc', 'allocUnsafe', 'allocUnsafeSlow', 'from', 'concat'] as const) {
    replace(
      Buffer,
      key,
      (original: (...args: unknown[]) => Buffer) =>
        function (this: unknown, ...args: unknown[]) {
          const buffer = original.apply(this, args)
          count(buffer.length)
          return buffer
        },
    )
  }
  replace(
    Readable.prototype,
    'push',
    (original: (...args: unknown[]) => boolean) =>
      function (this: unknown, chunk: unknown, ...rest: unknown[]) {
        if (ArrayBuffer.isView(chunk)) count(chunk.byteLength)
        return original.call(this, chunk, ...rest)
      },
  )
  if (options.typedArrays) {
    for (const name of TYPED_ARRAYS) {
      replace(globalThis, name, (original: new (...args: unknown[]) => { byteLength: number }) => {
        const proxy: object = new Proxy(original, {
          construct(target, args, newTarget) {
            const made = Reflect.construct(target, args, newTarget === proxy ? target : newTarget)
            count(made.byteLength)
            return made
          },
        })
        return proxy
      })
    }
  }

  return {
    stop() {
      for (const undo of restore.reverse()) undo()
      setFlagsFromString('--concurrent-array-buffer-sweeping')
      return { forced }
    },
  }
}
