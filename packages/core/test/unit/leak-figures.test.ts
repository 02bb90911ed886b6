// The leak figures from two readings after full GCs and the change in V8's code between them: a pure
// function of numbers, so each case here is the arithmetic the tracker relies on.
import { describe, expect, test } from 'vitest'
import { codeChangeBetween, lowerOfEach } from '../../src/measure/memory.js'
import { leakFigures } from '../../src/measure/tracker.js'

const start = { heap: 10_000_000, external: 1_000_000 }

test('code compiled during the span is left out of the heap leak', () => {
  const figures = leakFigures(start, { heap: start.heap + 150_000, external: start.external }, 20_000)
  expect(figures).toEqual({ leaked: 130_000, leakedHeap: 130_000, leakedExternal: 0, codeGrowth: 20_000 })
})

test('code flushed during the span (older than it) is added back: the heap dropped by it, the data did not', () => {
  // A 130 kB leak, read after a GC that flushed 18 kB of bytecode that was there at the start.
  const figures = leakFigures(start, { heap: start.heap + 112_000, external: start.external }, -18_000)
  expect(figures.leakedHeap).toBe(130_000)
  // The public figure is growth: a flush is none.
  expect(figures.codeGrowth).toBe(0)
})

test('the heap and external memory are judged apart, and neither goes below zero', () => {
  const figures = leakFigures(start, { heap: start.heap - 50_000, external: start.external + 2_000_000 }, 0)
  expect(figures).toEqual({ leaked: 2_000_000, leakedHeap: 0, leakedExternal: 2_000_000, codeGrowth: 0 })
  const freedExternal = leakFigures(
    start,
    { heap: start.heap + 64_000, external: start.external - 128_000 },
    0,
  )
  expect(freedExternal).toMatchObject({ leaked: 64_000, leakedHeap: 64_000, leakedExternal: 0 })
})

test('a baseline takes each part at its lower reading: freed external memory does not pick a high heap', () => {
  // Read in a Vitest worker on Node 24 after a leak diagnosis: the first reading still held 5.3 MB of
  // ArrayBuffers freed on V8's background thread, the second 452 kB of heap gone a moment later.
  const first = { heap: 14_978_008, external: 8_235_872 }
  const second = { heap: 15_430_336, external: 2_922_438 }
  const baseline = lowerOfEach(first, second)
  expect(baseline).toEqual({ heap: 14_978_008, external: 2_922_438 })
  // The span kept 2,000 objects (~130 kB) and 6.8 kB of code: judged from that baseline, a leak; from the
  // reading with the lower sum (the second), the heap read 288 kB lower than it started.
  const end = { heap: 15_142_312, external: 2_922_438 }
  expect(leakFigures(baseline, end, 6_816).leaked).toBe(157_488)
  expect(leakFigures(second, end, 6_816).leaked).toBe(0)
  expect(lowerOfEach(second, first)).toEqual(baseline)
})

describe("the change in V8's code, weighed two ways", () => {
  const before = { statistics: 2_000_000, spaces: 3_000_000 }

  test('growth the code statistics miss (metadata in the trusted space) is added to theirs', () => {
    // 441 kB of Sparkplug code counted, 500 kB added to the code and trusted spaces.
    expect(codeChangeBetween(before, { statistics: 2_441_000, spaces: 3_500_000 })).toBe(500_000)
  })

  test('what the spaces add beyond the statistics counts up to as much as the statistics grew, no more', () => {
    // A page of the trusted space read as used with no code made: not code, and it would hide a leak.
    expect(codeChangeBetween(before, { statistics: 2_001_700, spaces: 3_267_000 })).toBe(3_400)
    expect(codeChangeBetween(before, { statistics: 2_016_000, spaces: 3_270_000 })).toBe(32_000)
  })

  test("the spaces' shrinking is not code unless the statistics say so: the trusted space holds other objects", () => {
    // A WebAssembly instance's data or compiled regular expressions made before the span and dropped in it.
    expect(codeChangeBetween(before, { statistics: 2_000_500, spaces: 2_682_000 })).toBe(500)
    // A flush: both shrink, and the statistics' figure, with its sign, is the change.
    expect(codeChangeBetween(before, { statistics: 1_982_000, spaces: 2_975_000 })).toBe(-18_000)
  })

  test('without a trusted space (Node 20) the statistics alone are the change', () => {
    const old = { statistics: 2_000_000, spaces: undefined }
    expect(codeChangeBetween(old, { statistics: 2_100_000, spaces: undefined })).toBe(100_000)
  })
})
