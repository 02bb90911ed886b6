import { isMainThread, Worker } from 'node:worker_threads'

// Runs in a helper thread: while `state[0]` is RUNNING it asks the main thread, through the inspector, to
// evaluate `tick()`, then waits as many ms as the tick returned (`interval` if it returned no number). The
// inspector delivers such requests as V8 interrupts, so the tick runs even while the main thread is busy in a
// synchronous loop. The session is connected only while running (`state[1]` says whether it is): a session
// left open makes Node print "Waiting for the debugger to disconnect..." when the process exits.
const HELPER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const inspector = require('node:inspector')
const state = new Int32Array(workerData.state)
let session
// An inspector session does not keep a thread alive; this handle does, until the helper quits.
const alive = setInterval(() => {}, 1 << 30)
const request = { expression: workerData.expression, silent: true, returnByValue: true }
function disconnect() {
  if (!session) return
  session.disconnect()
  session = undefined
  Atomics.store(state, 1, 0)
  Atomics.notify(state, 1)
}
function loop() {
  for (;;) {
    const now = Atomics.load(state, 0)
    if (now === 2) { disconnect(); clearInterval(alive); return }
    if (now === 1) break
    disconnect()
    Atomics.wait(state, 0, now)
  }
  if (!session) {
    session = new inspector.Session()
    session.connectToMainThread()
    Atomics.store(state, 1, 1)
  }
  session.post('Runtime.evaluate', request, (error, reply) => {
    const wait = reply?.result?.value
    setImmediate(pause, typeof wait === 'number' && wait > 0 ? wait : workerData.interval)
  })
}
function pause(wait) { Atomics.wait(state, 0, 1, wait); loop() }
parentPort.postMessage('ready')
loop()
`

const PAUSED = 0
const RUNNING = 1
const TICK = Symbol.for('memgate.interrupts.tick')

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
  pause(): void
}

/**
 * Readies the helper thread that interrupts this one. Available on a process's main thread only (Vitest's
 * `forks` and `vmForks` pools, a plain script); resolves to `undefined` elsewhere or if it cannot start.
 * One helper serves every measurement: it is unreferenced, so it never keeps the process alive, and it
 * waits without running while paused.
 */
export async function prepareInterrupts(interval = 1): Promise<Interrupts | undefined> {
  if (!isMainThread) return undefined
  helper ??= spawnHelper(interval)
  let state: Int32Array
  try {
    ;({ state } = await helper)
  } catch {
    helper = undefined
    return undefined
  }
  const slots = process as unknown as Record<symbol, unknown>
  return {
    resume(tick) {
      slots[TICK] = tick
      Atomics.store(state, 0, RUNNING)
      Atomics.notify(state, 0)
    },
    pause() {
      Atomics.store(state, 0, PAUSED)
      Atomics.notify(state, 0)
      delete slots[TICK]
      // Wait (briefly) until the helper has closed its session, so the process may exit right after.
      Atomics.wait(state, 1, 1, 200)
    },
  }
}

async function spawnHelper(interval: number): Promise<Helper> {
  const state = new Int32Array(new SharedArrayBuffer(8))
  // `process` is the one object shared by the main context and Vitest's vm contexts.
  const expression = `process[Symbol.for('memgate.interrupts.tick')]?.()`
  const worker = new Worker(HELPER_SOURCE, {
    eval: true,
    workerData: { state: state.buffer, expression, interval },
    stdout: false,
    stderr: false,
  })
  // Referenced until it is ready: an unreferenced worker lets the process exit while we wait for it.
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
  })
  worker.unref()
  return { state, worker }
}
