import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { collectAllGarbage, collectYoungGarbage } from '../v8/gc.js'
import type { ExternalSites } from './external-sites.js'
import { type Allocations, Hooks, hookBuffers, hookCopies, hookTypedArrays } from './pacing-hooks.js'

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

/**
 * Bounds the garbage that external memory piles up while measuring. V8 frees dead Buffers only at a GC and
 * starts one for external memory only past ~32–64 MB, so streaming in 64 KB chunks would read tens of MB of
 * "peak" that is garbage. The pacer hooks the places external memory comes from in JS — `Buffer`'s factories,
 * `Readable#push` (which every socket and HTTP chunk allocated by Node's C++ side passes), and the builtins
 * that copy into a new backing store (`%TypedArray%.prototype.map`, `slice`, …, `ArrayBuffer#slice`,
 * `structuredClone`, `fs.readFileSync`) — and every MiB of them looks at external memory: past `step` of
 * growth it forces a young-generation GC, past `majorStep` since the last full GC a full one; before a copy
 * large beside what is held, a full GC (see `before`). Concurrent array-buffer sweeping is off meanwhile, so the memory a GC
 * frees leaves the count at that GC and not later. Everything is restored by `stop()`.
 */
export function startPacer(options: PacerOptions = {}, sites?: ExternalSites): Pacer {
  setFlagsFromString('--no-concurrent-array-buffer-sweeping')
  const pacing = new ExternalPacing(options.step ?? 2 * MiB, options.majorStep ?? 8 * MiB, sites)
  const hooks = new Hooks()
  hookBuffers(hooks, pacing)
  hookCopies(hooks, pacing)
  if (options.typedArrays) hookTypedArrays(hooks, pacing)
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
class ExternalPacing implements Allocations {
  /** GCs forced so far. */
  forced = 0
  private readonly startExternal = readExternal()
  private low = this.startExternal
  private lowAtFullGc = this.low
  /** Bytes counted since the last look. */
  private pending = 0
  /** Whether the allocation under way was preceded by a full GC. */
  private collectedBefore = false

  constructor(
    private readonly step: number,
    private readonly majorStep: number,
    private readonly sites: ExternalSites | undefined,
  ) {}

  /**
   * Before an allocation that is large beside what is held, a full GC. A step of a chain of copies
   * (`a = a.map(f)`) lays its result beside the previous step's input, garbage by now but not collected: no
   * look after an allocation can see that garbage, since the previous step's input was still live then (four
   * 100 MB `Float64Array` maps read 400 MB for 200 MB live). One GC per allocation of ≥ 8 MiB and ≥ a quarter
   * of what is held keeps that garbage out at little cost beside the allocation itself.
   */
  before(bytes: number): void {
    if (bytes < Math.max(this.majorStep, 0.25 * (this.low - this.startExternal))) return
    this.forced++
    collectAllGarbage()
    this.collectedBefore = true
  }

  /** Counts bytes allocated through a hook; every {@link CHECK_EVERY} of them, looks at external memory. */
  after(bytes: number): void {
    this.sites?.allocated(bytes)
    if (this.collectedBefore) {
      // Nothing but the new allocation has come since the GC: that is the new low point, and held.
      this.collectedBefore = false
      this.low = this.lowAtFullGc = readExternal()
      return
    }
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
