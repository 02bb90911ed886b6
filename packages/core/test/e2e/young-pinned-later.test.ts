import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

const MiB = 2 ** 20
const script = fileURLToPath(new URL('../fixtures/pin-later/measure.mjs', import.meta.url))

interface Figures {
  thread: 'main' | 'worker'
  grownBytes: number
  beforePeak: number
  beforePinned: boolean
  pinned: boolean
  afterBytes: number
  afterPeak: number
  afterPinned: boolean
}

test('a thread started without the flag is pinned in place, and then measures as one started pinned', async () => {
  // A child of its own: this test process was started with --max-semi-space-size=1 (vitest.e2e.config.ts).
  const { stdout } = await promisify(execFile)(process.execPath, [script], {
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  const [worker, main] = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Figures)
  expect(worker?.thread).toBe('worker')
  expect(main?.thread).toBe('main')
  for (const figures of [worker, main] as Figures[]) {
    expect(figures.beforePinned).toBe(false)
    expect(figures.pinned).toBe(true)
    expect(figures.afterPinned).toBe(true)
    // One semi-space of 1 MB in use, its twin empty: the size a process started with the flag keeps.
    expect(figures.afterBytes).toBeLessThanOrEqual(2 * MiB)
    // Garbage only, as the accuracy table's pinned rows read it (≤ 3.3 MiB there; a little slack here).
    expect(figures.afterPeak).toBeLessThan(5 * MiB)
  }
  // The worker started before anything was pinned: V8 had grown its young generation, which hid garbage.
  expect(worker?.grownBytes).toBeGreaterThan(4 * MiB)
  expect(worker?.beforePeak).toBeGreaterThan((worker?.afterPeak ?? 0) + 3 * MiB)
})
