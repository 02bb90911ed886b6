import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'
import { afterEach, expect, test } from 'vitest'
import { YOUNG_GENERATION_RESOURCE_LIMITS } from '../../src/index.js'

const MiB = 2 ** 20
const entry = new URL('../fixtures/pacing-workers/measure.mjs', import.meta.url)

interface Figures {
  peak: number
  allocated: number
  leaked: number
  heapPacing: boolean
  forced: number
}

const workers: Worker[] = []
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()))
})

/** Starts the fixture in a worker thread pinned the way memgate measures. */
function startWorker(workerData: Record<string, unknown>): Worker {
  const worker = new Worker(entry, { workerData, resourceLimits: YOUNG_GENERATION_RESOURCE_LIMITS })
  workers.push(worker)
  return worker
}

/** The worker's first message that `accept` takes; its error if it fails first. */
function nextMessage<T>(worker: Worker, accept: (message: unknown) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!accept(message)) return
      worker.off('message', onMessage)
      resolve(message as T)
    }
    worker.on('message', onMessage)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`worker exited (${code}) before answering`)))
  })
}

function expectPaced({ empty, paced, unpaced }: { empty: Figures; paced: Figures; unpaced: Figures }) {
  const seen = JSON.stringify({ empty, paced, unpaced })
  // The worker's first measurement, of fresh code: memgate's own session and helper are not a leak.
  expect(empty.heapPacing, seen).toBe(true)
  expect(empty.leaked, seen).toBeLessThan(16 * 1024)
  expect(paced.heapPacing, seen).toBe(true)
  expect(paced.allocated, seen).toBeGreaterThan(40e6)
  expect(paced.peak, seen).toBeLessThanOrEqual(4 * MiB)
  expect(paced.forced, seen).toBeGreaterThan(0)
  // The same work unpaced reads its old-generation garbage: the bound above is the pacing's doing.
  expect(unpaced.heapPacing, seen).toBe(false)
  expect(unpaced.peak, seen).toBeGreaterThan(8 * MiB)
}

test('paces old-generation garbage in a worker thread, and leaves no leak on a first run', async () => {
  expectPaced(await nextMessage(startWorker({ scenario: 'measure' })))
})

test('paces in a worker started by a worker', async () => {
  expectPaced(await nextMessage(startWorker({ scenario: 'nested' })))
})

type Held = { paced: Figures; startedAt: number; finishedAt: number }

test('a measurement in a worker completes while the main thread is busy in a synchronous loop', async () => {
  const go = new SharedArrayBuffer(8)
  const flags = new Int32Array(go)
  const worker = startWorker({ scenario: 'main-held', go })
  await nextMessage(worker, (message) => message === 'ready')
  const result = nextMessage<Held>(worker, (message) => message !== 'ready')
  Atomics.store(flags, 0, 1)
  Atomics.notify(flags, 0)
  // The main thread runs JS without turning its event loop until the worker says it measured.
  const giveUpAt = Date.now() + 30_000
  while (Atomics.load(flags, 1) === 0 && Date.now() < giveUpAt) {
    // busy
  }
  expect(Atomics.load(flags, 1), 'the measurement finished while the main thread was busy').toBe(1)
  const { paced } = await result
  // The inspector relays through the busy thread by interrupts, so pacing may well hold; if it says so,
  // it must have forced collections.
  expect(paced.heapPacing).toBeTypeOf('boolean')
  if (paced.heapPacing) expect(paced.forced).toBeGreaterThan(0)
  expect(paced.allocated).toBeGreaterThan(40e6)
})

test('a measurement in a worker completes, unpaced, while the main thread is blocked in native code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'memgate-pacing-'))
  try {
    const doneFile = join(dir, 'done')
    const go = new SharedArrayBuffer(8)
    const flags = new Int32Array(go)
    const worker = startWorker({ scenario: 'main-held', go, doneFile })
    await nextMessage(worker, (message) => message === 'ready')
    const result = nextMessage<Held>(worker, (message) => message !== 'ready')
    Atomics.store(flags, 0, 1)
    Atomics.notify(flags, 0)
    // spawnSync blocks this thread in native code (no JS runs, so no inspector message is served) until
    // the child sees the worker's file: exit status 0, or 2 after 30 s.
    const waiter = `const { existsSync } = require('node:fs'); const until = Date.now() + 30000;
      (function poll() { if (existsSync(process.argv[1])) process.exit(0); if (Date.now() > until) process.exit(2); setTimeout(poll, 20) })()`
    const blocked = spawnSync(process.execPath, ['-e', waiter, doneFile])
    expect(blocked.status, 'the measurement finished while the main thread was blocked').toBe(0)
    const { paced } = await result
    // Nothing could be relayed, and the figure says so.
    expect(paced.heapPacing).toBe(false)
    expect(paced.forced).toBe(0)
    expect(paced.allocated).toBeGreaterThan(40e6)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a process may exit right after a worker measured: the helper has disconnected', async () => {
  const script = `
    import { Worker } from 'node:worker_threads'
    const worker = new Worker(new URL(${JSON.stringify(entry.href)}), {
      workerData: { scenario: 'then-exit' },
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: 3 },
    })
    worker.on('message', () => process.exit(0))
  `
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', script],
    { timeout: 30_000 },
  )
  // A session left connected to the main thread makes Node print "Waiting for the debugger to disconnect...".
  expect(stderr).toBe('')
  expect(stdout).toBe('')
})
