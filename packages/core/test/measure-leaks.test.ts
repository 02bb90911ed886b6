import { expect, test } from 'vitest'
import { measure } from '../src/index.js'
import { figures, record } from './cases/record.js'
import { liveBytes, within } from './cases/weigh.js'
import { keepNothing, keepSizedObjects, kept } from './cases/workloads.js'

test('a case that keeps nothing reports < 16 KiB leaked on its first run', async () => {
  // keepNothing has never run in this process: V8 compiles it now, and that memory is not a leak.
  const measurement = await measure(keepNothing)
  record('keeps nothing, first run (leaked)', 'leaked < 16 KiB', figures(measurement), 0)
  expect(measurement.leaked).toBeLessThan(16 * 1024)
})

test('a case that keeps 10,000 objects reports what they hold, within 10% + 8 KiB', async () => {
  kept.length = 0
  const before = liveBytes()
  // Only the numbers are kept, so the measurement's profile is not weighed with the objects.
  const result = figures(await measure(() => keepSizedObjects(10_000)))
  const truth = liveBytes() - before
  record('keeps 10,000 objects (leaked)', 'leaked within 10% + 8 KiB of held', result, truth)
  const { leaked } = result
  expect(kept).toHaveLength(10_000)
  within(leaked, truth, 0.1, 8 * 1024)
  kept.length = 0
})

test('an async case that keeps nothing across awaits reports < 16 KiB leaked', async () => {
  const { leaked } = await measure(async () => {
    for (let i = 0; i < 100; i++) await new Promise((resolve) => setImmediate(resolve))
    return keepNothing()
  })
  expect(leaked).toBeLessThan(16 * 1024)
})
