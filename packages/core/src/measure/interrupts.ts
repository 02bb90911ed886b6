import { isMainThread, threadId, Worker } from 'node:worker_threads'
import {
  ATTACH,
  ATTACH_FAILED,
  ATTACHED,
  BUSY,
  COMMAND,
  DETACHED,
  type HelperData,
  IDLE,
  LINK,
  RUNNING,
  SLOTS,
  STALLED,
  waitAsync,
} from './interrupts-protocol.js'

const TICK = Symbol.for('memgate.interrupts.tick')
// `process` is the one object shared by the main context and Vitest's vm contexts.
const EXPRESSION = `process[Symbol.for('memgate.interrupts.tick')]?.()`
/** How long a worker thread waits for the main thread to attach its helper before measuring without it. */
const ATTACH_TIMEOUT_MS = 1000
/** A tick the main thread took longer than this to relay means the pacing lapsed (`heapPacing` false). */
const STALL_MS = 100
/** How long `pause()` waits for a tick in flight to come back. */
const SETTLE_MS = 200

interface Helper {
  state: Int32Array
  worker: Worker
}

let helper: Promise<Helper> | undefined

/** The helper thread, ready to interrupt this thread with `tick` calls. */
export interface Interrupts {
  /**
   * Starts calling `tick`, even during synchronous code: again after as many ms as it returns, or after the
   * helper's `interval` if it returns nothing.
   */
  resume(tick: () => number | undefined): void
  /**
   * Stops the ticks. Returns whether they came as asked all along: in a worker thread they are relayed by
   * the process's main thread, and a main thread that stopped relaying (blocked) makes it `false`.
   */
  pause(): boolean
  /** Lets go of the connection kept from `prepareInterrupts` (worker threads); call after the end reading. */
  release(): void
}

/**
 * Readies the helper thread that interrupts this one: on a process's main thread (Vitest's `forks` and
 * `vmForks` pools, a plain script) directly, in a worker thread (the `threads` and `vmThreads` pools) by
 * relaying through the main thread's inspector, which must then turn its event loop or run JS. Resolves
 * to `undefined` if the helper cannot start or, in a worker, cannot attach within a second (a main thread
 * blocked in native code). One helper per thread serves every measurement: it is unreferenced, so it
 * never keeps the thread alive, and it waits without running while paused.
 */
export async function prepareInterrupts(interval = 1): Promise<Interrupts | undefined> {
  helper ??= spawnHelper(interval)
  let state: Int32Array
  try {
    ;({ state } = await helper)
  } catch {
    helper = undefined
    return undefined
  }
  const slots = process as unknown as Record<symbol, unknown>
  const command = (value: number) => {
    Atomics.store(state, COMMAND, value)
    Atomics.notify(state, COMMAND)
  }
  if (isMainThread) {
    return {
      resume(tick) {
        slots[TICK] = tick
        command(RUNNING)
      },
      pause() {
        command(IDLE)
        delete slots[TICK]
        // Wait (briefly) until the helper has closed its session, so the process may exit right after.
        Atomics.wait(state, LINK, ATTACHED, SETTLE_MS)
        return true
      },
      release() {},
    }
  }
  // A failed attempt is cleared by the helper once told IDLE; an attachment still held is used as it is.
  if (Atomics.load(state, LINK) === ATTACH_FAILED) {
    command(IDLE)
    waitUntil(state, LINK, DETACHED, SETTLE_MS)
  }
  command(ATTACH)
  if (!(await attached(state))) {
    command(IDLE)
    return undefined
  }
  return {
    resume(tick) {
      slots[TICK] = tick
      Atomics.store(state, STALLED, 0)
      command(RUNNING)
    },
    pause() {
      command(ATTACH)
      delete slots[TICK]
      // A tick in flight runs here (the inspector interrupts Atomics.wait) and comes back; one that does
      // not is stuck in a main thread that stopped relaying.
      return waitUntil(state, BUSY, 0, SETTLE_MS) && Atomics.load(state, STALLED) === 0
    },
    release() {
      command(IDLE)
      // Until the helper has disconnected: a session left connected to the main thread makes Node print
      // "Waiting for the debugger to disconnect..." if the process exits now.
      waitUntil(state, LINK, DETACHED, SETTLE_MS)
    },
  }
}

/** Blocks until `state[slot]` is `value`, at most `ms`; returns whether it got there. */
function waitUntil(state: Int32Array, slot: number, value: number, ms: number): boolean {
  const deadline = performance.now() + ms
  for (;;) {
    const seen = Atomics.load(state, slot)
    if (seen === value) return true
    const left = deadline - performance.now()
    if (left <= 0) return false
    Atomics.wait(state, slot, seen, left)
  }
}

/** Resolves whether the helper attached; a timer keeps the thread alive meanwhile (`waitAsync` does not). */
async function attached(state: Int32Array): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ATTACH_TIMEOUT_MS + SETTLE_MS)
  })
  await Promise.race([waitAsync(state, LINK, DETACHED).value, timeout])
  clearTimeout(timer)
  return Atomics.load(state, LINK) === ATTACHED
}

/**
 * The helper's module: interrupts-main-helper.js on a process's main thread, interrupts-worker-helper.js in a
 * worker thread, emitted next to this module. Run from its TypeScript source (core's own tests), this module
 * has no emitted helper beside it, and the build's is used.
 */
function helperUrl(): URL {
  if (import.meta.url.endsWith('.ts'))
    return new URL(
      `../../dist/measure/interrupts-${isMainThread ? 'main' : 'worker'}-helper.js`,
      import.meta.url,
    )
  return isMainThread
    ? new URL('./interrupts-main-helper.js', import.meta.url)
    : new URL('./interrupts-worker-helper.js', import.meta.url)
}

async function spawnHelper(interval: number): Promise<Helper> {
  const state = new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT))
  const workerData: HelperData = {
    state: state.buffer as SharedArrayBuffer,
    expression: EXPRESSION,
    interval,
    target: threadId,
    attachTimeout: ATTACH_TIMEOUT_MS,
    stallMs: STALL_MS,
  }
  // No execArgv of the process: a preload given with --import or --require runs in every worker from Node 22 on,
  // and one that starts a measurement (memgate run's) would start a helper of the helper, and so on.
  const worker = new Worker(helperUrl(), { workerData, execArgv: [], stdout: false, stderr: false })
  // Referenced until it is ready: an unreferenced worker lets the process exit while we wait for it.
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
  })
  worker.unref()
  return { state, worker }
}
