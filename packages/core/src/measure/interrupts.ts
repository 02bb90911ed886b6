import { isMainThread, threadId, Worker } from 'node:worker_threads'

// Runs in a helper thread started by a process's main thread: while `state[COMMAND]` is RUNNING it asks
// the main thread, through the inspector, to evaluate `tick()`, then waits as many ms as the tick returned
// (`interval` if it returned no number). The inspector delivers such requests as V8 interrupts, so the tick
// runs even while the main thread is busy in a synchronous loop. The session is connected only while
// running (`state[LINK]` says whether it is): a session left open makes Node print "Waiting for the
// debugger to disconnect..." when the process exits.
const MAIN_HELPER_SOURCE = `
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

// Runs in a helper thread started by a worker thread (the target). A session can only reach a process's
// main thread, so the helper connects there and relays through it: `NodeWorker.enable` attaches the main
// thread's inspector to every worker of the process (V8 creates a session in each, the target included);
// the helper keeps the target's (its title is "[worker <threadId>]", optionally followed by the worker's
// name), detaches the others at once, and posts `Runtime.evaluate` to the target through
// `NodeWorker.sendMessageToWorker`; the reply comes back as `NodeWorker.receivedMessageFromWorker`.
// Commands (state[COMMAND]): IDLE — disconnected; ATTACH — connected and attached, not ticking (the target
// prepares before its baseline and detaches after its end reading, so the session's own memory is in
// both); RUNNING — ticking; QUIT. state[LINK]: 0 not attached, 1 attached and a round trip answered, -1
// attaching failed (no reply within attachTimeout, e.g. the main thread is blocked). state[BUSY]: a tick
// is in flight. state[STALLED]: while running, the main thread took longer than stallMs to relay a tick.
// Between ticks the helper waits synchronously (precise timing); otherwise it waits for a change of
// command with Atomics.waitAsync, so its event loop stays free for the session's events.
const WORKER_HELPER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const inspector = require('node:inspector')
const state = new Int32Array(workerData.state)
const [COMMAND, LINK, BUSY, STALLED] = [0, 1, 2, 3]
const [IDLE, RUNNING, QUIT, ATTACH] = [0, 1, 2, 3]
const alive = setInterval(() => {}, 1 << 30)
const prefix = '[worker ' + workerData.target + ']'
const tickParams = { expression: workerData.expression, silent: true, returnByValue: true }
let session, target, verified = false, timer, sleeping = false, nextId = 0, pending = 0, sentAt = 0
function set(slot, value) { Atomics.store(state, slot, value); Atomics.notify(state, slot) }
function disconnect(link) {
  clearTimeout(timer)
  if (session) session.disconnect()
  session = target = undefined
  verified = false
  pending = 0
  set(BUSY, 0)
  set(LINK, link)
}
function send(expression, ack) {
  pending = ++nextId
  const message = JSON.stringify({ id: pending, method: 'Runtime.evaluate', params: expression === undefined ? tickParams : { expression, silent: true, returnByValue: true } })
  session.post('NodeWorker.sendMessageToWorker', { sessionId: target, message }, ack)
}
function connect() {
  session = new inspector.Session()
  session.connectToMainThread()
  const own = session
  timer = setTimeout(() => { if (own === session && !verified) disconnect(-1) }, workerData.attachTimeout)
  session.on('NodeWorker.attachedToWorker', ({ params }) => {
    if (own !== session) return
    const title = params.workerInfo.title
    if (target === undefined && (title === prefix || title.startsWith(prefix + ' '))) {
      target = params.sessionId
      send('0')
    } else session.post('NodeWorker.detach', { sessionId: params.sessionId })
  })
  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
    if (own !== session || params.sessionId !== target) return
    const reply = JSON.parse(params.message)
    if (reply.id !== pending) return
    pending = 0
    if (!verified) {
      verified = true
      clearTimeout(timer)
      set(LINK, 1)
      return step()
    }
    set(BUSY, 0)
    const wait = reply.result?.result?.value
    sleeping = true
    setImmediate(() => {
      Atomics.wait(state, COMMAND, RUNNING, typeof wait === 'number' && wait > 0 ? wait : workerData.interval)
      sleeping = false
      step()
    })
  })
  session.post('NodeWorker.enable', { waitForDebuggerOnStart: false })
}
function step() {
  const command = Atomics.load(state, COMMAND)
  if (command === QUIT) { disconnect(0); clearInterval(alive); return }
  if (command === IDLE) { if (session || Atomics.load(state, LINK) !== 0) disconnect(0); return }
  if (!session) { if (Atomics.load(state, LINK) === 0) connect(); return }
  if (command !== RUNNING || !verified || pending || sleeping) return
  set(BUSY, 1)
  sentAt = performance.now()
  send(undefined, () => { if (performance.now() - sentAt > workerData.stallMs) set(STALLED, 1) })
}
// Arms the wait first, then acts on the command as it is: a change after arming wakes the wait.
function watch() {
  const seen = Atomics.load(state, COMMAND)
  const wait = seen === QUIT ? undefined : Atomics.waitAsync(state, COMMAND, seen)
  step()
  if (!wait) return
  if (wait.async) wait.value.then(watch)
  else setImmediate(watch)
}
parentPort.postMessage('ready')
watch()
`

const COMMAND = 0
const LINK = 1
const BUSY = 2
const STALLED = 3
const IDLE = 0
const RUNNING = 1
const ATTACH = 3
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
        Atomics.wait(state, LINK, 1, SETTLE_MS)
        return true
      },
      release() {},
    }
  }
  // A failed attempt is cleared by the helper once told IDLE; an attachment still held is used as it is.
  if (Atomics.load(state, LINK) === -1) {
    command(IDLE)
    waitUntil(state, LINK, 0, SETTLE_MS)
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
      waitUntil(state, LINK, 0, SETTLE_MS)
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
  // Atomics.waitAsync is in Node since 16; TypeScript's lib declares it from ES2024 only.
  const { waitAsync } = Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { value: unknown }
  }
  await Promise.race([waitAsync(state, LINK, 0).value, timeout])
  clearTimeout(timer)
  return Atomics.load(state, LINK) === 1
}

async function spawnHelper(interval: number): Promise<Helper> {
  const state = new Int32Array(new SharedArrayBuffer(16))
  const worker = new Worker(isMainThread ? MAIN_HELPER_SOURCE : WORKER_HELPER_SOURCE, {
    eval: true,
    workerData: {
      state: state.buffer,
      expression: EXPRESSION,
      interval,
      target: threadId,
      attachTimeout: ATTACH_TIMEOUT_MS,
      stallMs: STALL_MS,
    },
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
