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
  setFlagsFromString('--no-concurrent-array-buffer-sweeping')
  const pacing = new ExternalPacing(options.step ?? 2 * MiB, options.majorStep ?? 8 * MiB)
  const count = (bytes: number) => pacing.count(bytes)
  const hooks = new Hooks()
  hookBuffers(hooks, count)
  if (options.typedArrays) hookTypedArrays(hooks, count)
  return {
    stop() {
      hooks.restore()
      setFlagsFromString('--concurrent-array-buffer-sweeping')
      return { forced: pacing.forced }
    },
  }
}

const readExternal = () => getHeapStatistics().external_memory

/** Forces a GC each time external memory grew past an allowance since its last low point. */
class ExternalPacing {
  /** GCs forced so far. */
  forced = 0
  private readonly startExternal = readExternal()
  private low = this.startExternal
  private lowAtFullGc = this.low
  /** Bytes counted since the last look. */
  private pending = 0

  constructor(
    private readonly step: number,
    private readonly majorStep: number,
  ) {}

  /** Counts bytes allocated through a hook; every {@link CHECK_EVERY} of them, looks at external memory. */
  count(bytes: number): void {
    this.pending += bytes
    if (this.pending < CHECK_EVERY) return
    this.pending = 0
    this.look()
  }

  // The allowances grow with what is really held (10% and 25% of it), so building up 100 MB of Buffers
  // costs a few dozen young GCs, not one per Buffer, while garbage from streaming stays within `step`.
  private look(): void {
    const external = readExternal()
    if (external < this.low) {
      this.low = external
      this.lowAtFullGc = Math.min(this.lowAtFullGc, external)
      return
    }
    const held = this.low - this.startExternal
    if (external - this.low <= Math.max(this.step, 0.1 * held)) return
    this.forced++
    if (external - this.lowAtFullGc > Math.max(this.majorStep, 0.25 * held)) {
      collectAllGarbage()
      this.lowAtFullGc = readExternal()
    } else {
      collectYoungGarbage()
    }
    this.low = readExternal()
  }
}

/** Replaced properties of global objects, and how to put each back. */
class Hooks {
  private readonly undo: (() => void)[] = []

  /** Replaces `owner[key]` with what `make` builds from the original. */
  replace(owner: object, key: string, make: (original: never) => unknown): void {
    const slots = owner as Record<string, unknown>
    const original = slots[key]
    slots[key] = make(original as never)
    this.undo.push(() => {
      slots[key] = original
    })
  }

  /** Puts back every replaced property, the last replaced first. */
  restore(): void {
    for (const undo of this.undo.reverse()) undo()
  }
}

/** Counts the Buffers made by `Buffer`'s factories and the chunks pushed into any `Readable`. */
function hookBuffers(hooks: Hooks, count: (bytes: number) => void): void {
  for (const key of ['alloc', 'allocUnsafe', 'allocUnsafeSlow', 'from', 'concat'] as const) {
    hooks.replace(
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
  hooks.replace(
    Readable.prototype,
    'push',
    (original: (...args: unknown[]) => boolean) =>
      function (this: unknown, chunk: unknown, ...rest: unknown[]) {
        if (ArrayBuffer.isView(chunk)) count(chunk.byteLength)
        return original.call(this, chunk, ...rest)
      },
  )
}

/** Counts what the typed-array constructors (and `ArrayBuffer`'s) make, by replacing each with a proxy. */
function hookTypedArrays(hooks: Hooks, count: (bytes: number) => void): void {
  for (const name of TYPED_ARRAYS) {
    hooks.replace(globalThis, name, (original: new (...args: unknown[]) => { byteLength: number }) => {
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
