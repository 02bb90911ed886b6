import { expect, test } from 'vitest'
import { trackRss } from '../../src/measure/rss.js'
import { collectAllGarbage } from '../../src/v8/gc.js'

const MiB = 1024 * 1024

test.runIf(process.platform === 'linux')(
  "a span's RSS peak rises by the pages it touches, started after a full GC",
  () => {
    collectAllGarbage()
    const tracker = trackRss()
    const filled = Buffer.alloc(48 * MiB, 1)
    const span = tracker.stop()
    expect(filled.length).toBe(48 * MiB)
    expect(span).toBeDefined()
    expect((span?.peak ?? 0) - (span?.before ?? 0)).toBeGreaterThan(40 * MiB)
  },
)

test.runIf(process.platform === 'linux')(
  'a span that touches nothing new reads a peak near where it began',
  () => {
    collectAllGarbage()
    const tracker = trackRss()
    const span = tracker.stop()
    expect(span).toBeDefined()
    expect((span?.peak ?? 0) - (span?.before ?? 0)).toBeLessThan(4 * MiB)
  },
)
