// The helper thread a process's main thread starts (see interrupts.ts): while `COMMAND` is RUNNING it asks the
// main thread, through the inspector, to evaluate the tick expression, then waits as many ms as the tick
// returned (`interval` if it returned no number). The inspector delivers such requests as V8 interrupts, so
// the tick runs even while the main thread is busy in a synchronous loop. The session is connected only while
// running (`LINK` says whether it is): a session left open makes Node print "Waiting for the debugger to
// disconnect..." when the process exits.
import { Session } from 'node:inspector'
import { parentPort, workerData } from 'node:worker_threads'
import {
  ATTACHED,
  COMMAND,
  DETACHED,
  type HelperData,
  LINK,
  QUIT,
  READY,
  RUNNING,
} from './interrupts-protocol.js'

const data = workerData as HelperData
const state = new Int32Array(data.state)
const request = { expression: data.expression, silent: true, returnByValue: true }
// An inspector session does not keep a thread alive; this handle does, until the helper quits.
const alive = setInterval(() => {}, 1 << 30)
let session: Session | undefined

function disconnect(): void {
  if (!session) return
  session.disconnect()
  session = undefined
  Atomics.store(state, LINK, DETACHED)
  Atomics.notify(state, LINK)
}

/** Waits for RUNNING (disconnected meanwhile), then sends one tick; QUIT ends the helper. */
function loop(): void {
  for (;;) {
    const command = Atomics.load(state, COMMAND)
    if (command === QUIT) {
      disconnect()
      clearInterval(alive)
      return
    }
    if (command === RUNNING) break
    disconnect()
    Atomics.wait(state, COMMAND, command)
  }
  if (!session) {
    session = new Session()
    session.connectToMainThread()
    Atomics.store(state, LINK, ATTACHED)
  }
  session.post('Runtime.evaluate', request, (_error, reply) => {
    const wait = (reply as { result?: { value?: unknown } } | undefined)?.result?.value
    setImmediate(pause, typeof wait === 'number' && wait > 0 ? wait : data.interval)
  })
}

/** Waits `wait` ms, or less if the command changes meanwhile. */
function pause(wait: number): void {
  Atomics.wait(state, COMMAND, RUNNING, wait)
  loop()
}

parentPort?.postMessage(READY)
loop()
