import type { OperationsMemory } from '@memgate/core/tinybench'
import type { BenchOptions } from 'vitest'
import { describe, expect, expectTypeOf, test } from 'vitest'
import { benchMemoryTable } from '../../src/node/bench-table.js'
import type { LimitOptions } from '../../src/runtime/limits.js'

const memory = (allocatedPerOp: number, pinned = true): OperationsMemory => ({
  iterations: 28_857,
  allocatedPerOp,
  allocated: allocatedPerOp * 28_857,
  peak: 1_081_960,
  peakHeap: 1_081_960,
  peakExternal: 0,
  retained: 4648,
  youngGenerationPinned: pinned,
})

describe('benchMemoryTable', () => {
  test('one row per bench, sizes right-aligned under their heading', () => {
    const table = benchMemoryTable('a.bench.ts > arrays', [
      { name: 'light', memory: memory(176.3) },
      { name: 'heavy', memory: memory(19_828) },
    ])
    expect(table.split('\n')).toEqual([
      ' memgate: memory of a.bench.ts > arrays (each bench run again as many times after its timing, young generation pinned)',
      '   name   allocated/op  peak  retained  iterations',
      '   light       176.3 B  1 MB    4.6 kB      28,857',
      '   heavy       19.8 kB  1 MB    4.6 kB      28,857',
    ])
  })

  test('against --compare: each figure with its ratio to the compared one', () => {
    const table = benchMemoryTable('g', [{ name: 'heavy', memory: memory(19_828), baseline: memory(9914) }])
    expect(table).toContain('19.8 kB (2.00×)')
    expect(table).toContain('1 MB (1.00×)')
  })

  test('says so when the young generation was not pinned', () => {
    expect(benchMemoryTable('g', [{ name: 'x', memory: memory(1, false) }])).toContain('NOT pinned')
  })
})

test("limitMemory()'s options are a bench's options too", () => {
  expectTypeOf<LimitOptions>().toExtend<BenchOptions>()
})
