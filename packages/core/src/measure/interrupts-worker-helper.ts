// The helper thread a worker thread (the target) starts (see interrupts.ts). A session can only reach a
// process's main thread, so the helper connects there and relays through it: `NodeWorker.enable` attaches the
// main thread's inspector to every worker of the process (V8 creates a session in each, the target included);
// the helper keeps the target's (its title is "[worker <threadId>]", optionally followed by the worker's name),
// detaches the others at once, and posts `Runtime.evaluate` to the target through
// `NodeWorker.sendMessageToWorker`; the reply comes back as `NodeWorker.receivedMessageFromWorker`.
// Commands: IDLE — disconnected; ATTACH — connected and attached, not ticking (the target prepares before its
// baseline and detaches after its end reading, so the session's own memory is in both); RUNNING — ticking;
// QUIT. Between ticks the helper waits synchronously (precise timing); otherwise it waits for a change of
// command with Atomics.waitAsync, so its event loop stays free for the session's events.
import { Session } from 'node:inspector'
import { parentPort, workerData } from 'node:worker_threads'
import {
  ATTACH_FAILED,
  ATTACHED,
  BUSY,
  COMMAND,
  DETACHED,
  type HelperData,
  IDLE,
  LINK,
  QUIT,
  READY,
  RUNNING,
  STALLED,
  waitAsync,
} from './interrupts-protocol.js'

interface Reply {
  id: number
  result?: { result?: { value?: unknown } }
}

const data = workerData as HelperData
const state = new Int32Array(data.state)
const alive = setInterval(() => {}, 1 << 30)
const prefix = `[worker ${data.target}]`
const tickParams = { expression: data.expression, silent: true, returnByValue: true }
let session: Session | undefined
/** The target's session id, once the main thread's inspector attached to it. */
let target: string | undefined
/** Whether the target answered a first round trip. */
let verified = false
let timer: NodeJS.Timeout | undefined
let sleeping = false
let nextId = 0
/** The id of the request in flight (0: none). */
let pending = 0
let sentAt = 0

function set(slot: number, value: number): void {
  Atomics.store(state, slot, value)
  Atomics.notify(state, slot)
}

function disconnect(link: number): void {
  clearTimeout(timer)
  if (session) session.disconnect()
  session = target = undefined
  verified = false
  pending = 0
  set(BUSY, 0)
  set(LINK, link)
}

/** Posts `Runtime.evaluate` to the target: `expression`, or the tick. */
function send(expression: string | undefined, ack?: () => void): void {
  if (!session || target === undefined) return
  pending = ++nextId
  const message = JSON.stringify({
    id: pending,
    method: 'Runtime.evaluate',
    params: expression === undefined ? tickParams : { expression, silent: true, returnByValue: true },
  })
  session.post('NodeWorker.sendMessageToWorker', { sessionId: target, message }, ack)
}

function connect(): void {
  const own = new Session()
  session = own
  own.connectToMainThread()
  timer = setTimeout(() => {
    if (own === session && !verified) disconnect(ATTACH_FAILED)
  }, data.attachTimeout)
  own.on('NodeWorker.attachedToWorker', ({ params }) => {
    if (own !== session) return
    const title = params.workerInfo.title
    if (target === undefined && (title === prefix || title.startsWith(`${prefix} `))) {
      target = params.sessionId
      send('0')
    } else own.post('NodeWorker.detach', { sessionId: params.sessionId })
  })
  own.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
    if (own !== session || params.sessionId !== target) return
    const reply = JSON.parse(params.message) as Reply
    if (reply.id !== pending) return
    pending = 0
    if (!verified) {
      verified = true
      clearTimeout(timer)
      set(LINK, ATTACHED)
      step()
      return
    }
    set(BUSY, 0)
    const wait = reply.result?.result?.value
    sleeping = true
    setImmediate(() => {
      Atomics.wait(state, COMMAND, RUNNING, typeof wait === 'number' && wait > 0 ? wait : data.interval)
      sleeping = false
      step()
    })
  })
  own.post('NodeWorker.enable', { waitForDebuggerOnStart: false })
}

/** Acts on the command as it is now. */
function step(): void {
  const command = Atomics.load(state, COMMAND)
  if (command === QUIT) {
    disconnect(DETACHED)
    clearInterval(alive)
    return
  }
  if (command === IDLE) {
    if (session || Atomics.load(state, LINK) !== DETACHED) disconnect(DETACHED)
    return
  }
  if (!session) {
    if (Atomics.load(state, LINK) === DETACHED) connect()
    return
  }
  if (command !== RUNNING || !verified || pending || sleeping) return
  set(BUSY, 1)
  sentAt = performance.now()
  send(undefined, () => {
    if (performance.now() - sentAt > data.stallMs) set(STALLED, 1)
  })
}

/** Arms the wait first, then acts on the command as it is: a change after arming wakes the wait. */
function watch(): void {
  const seen = Atomics.load(state, COMMAND)
  const wait = seen === QUIT ? undefined : waitAsync(state, COMMAND, seen)
  step()
  if (!wait) return
  if (wait.async) wait.value.then(watch)
  else setImmediate(watch)
}

parentPort?.postMessage(READY)
watch()
