import { describe, expect, test } from 'vitest'
import {
  CEILING_SHARE,
  firstReading,
  judgedPeak,
  passesOnScreen,
  SCREEN_MARGIN,
} from '../../src/runtime/readings.js'

const MB = 1_000_000
const plain = { summary: false }
const gate = {
  project: '',
  baselineFile: 'memgate.baseline.json',
  tolerance: { relative: 0.3, floor: 4 * MB },
  failOnNew: false,
  entries: {},
}

describe('the first reading of a measured test', () => {
  test('is the ceiling while the thread holds under half a peak limit, and no gate is in play', () => {
    expect(CEILING_SHARE).toBe(0.5)
    expect(firstReading({ peak: 100 * MB }, plain, { heap: 30 * MB, external: 20 * MB })).toBe('ceiling')
    // Heap and external count together.
    expect(firstReading({ peak: 100 * MB }, plain, { heap: 30 * MB, external: 20 * MB + 1 })).toBe(
      'peak-only',
    )
    expect(firstReading({ peak: 100 * MB }, plain, { heap: 60 * MB, external: 0 })).toBe('peak-only')
  })

  test('is peak-only whenever the gate compares or records figures: a ceiling is a bound, not a peak', () => {
    const held = { heap: 1 * MB, external: 0 }
    expect(firstReading({ peak: 100 * MB }, { ...plain, gate }, held)).toBe('peak-only')
    expect(firstReading({ peak: 100 * MB }, { ...plain, gateRecords: true }, held)).toBe('peak-only')
  })

  test('is the full measurement for a leak limit or the summary, whatever the peak limit', () => {
    const held = { heap: 1 * MB, external: 0 }
    expect(firstReading({ peak: 100 * MB, leaks: MB }, plain, held)).toBe('full')
    expect(firstReading({ leaks: MB }, plain, held)).toBe('full')
    expect(firstReading({ peak: 100 * MB }, { summary: true }, held)).toBe('full')
    expect(firstReading({}, { summary: true }, held)).toBe('full')
  })
})

describe('a first reading passes the test', () => {
  test(`only at least ${SCREEN_MARGIN} bytes under its limit`, () => {
    expect(passesOnScreen(10 * MB, 10 * MB - SCREEN_MARGIN)).toBe(true)
    expect(passesOnScreen(10 * MB, 10 * MB - SCREEN_MARGIN + 1)).toBe(false)
    expect(passesOnScreen(10 * MB, 10 * MB)).toBe(false)
    expect(passesOnScreen(10 * MB, 11 * MB)).toBe(false)
  })
})

describe('the peak judged when the body ran twice', () => {
  const full = { peak: 4 * MB, peakHeap: 3 * MB, peakExternal: 1 * MB, allocated: 9 * MB }
  test('is the first run’s when it read over the limit and the second within it: the figures are its own', () => {
    const first = { peak: 10 * MB, heap: 9 * MB, external: 1 * MB }
    expect(judgedPeak(full, 6 * MB, first)).toEqual({
      measurement: { peak: 10 * MB, peakHeap: 9 * MB, peakExternal: 1 * MB, allocated: 9 * MB },
      firstRun: true,
    })
  })

  test('is the full run’s otherwise: first within the limit, both over, no screen, or no peak limit', () => {
    // Within the limit (near it: why it ran again), the full measurement decides.
    expect(judgedPeak(full, 6 * MB, { peak: 5.5 * MB, heap: 5 * MB, external: 0.5 * MB })).toEqual({
      measurement: full,
      firstRun: false,
    })
    // Both over: the full run's figures, which have the sites.
    const over = { ...full, peak: 7 * MB }
    expect(judgedPeak(over, 6 * MB, { peak: 10 * MB, heap: 9 * MB, external: MB }).measurement).toBe(over)
    expect(judgedPeak(full, 6 * MB, undefined).firstRun).toBe(false)
    expect(judgedPeak(full, undefined, { peak: 10 * MB, heap: 9 * MB, external: MB }).firstRun).toBe(false)
  })
})
