// The leak figures from two readings after full GCs and the change in V8's code between them: a pure
// function of numbers, so each case here is the arithmetic the tracker relies on.
import { expect, test } from 'vitest'
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
