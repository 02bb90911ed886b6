import { describe, expect, test } from 'vitest'
import { limitViolations, parseLimits } from '../../src/bench/limits.js'
import type { OperationsMemory } from '../../src/bench/operations.js'

const figures: OperationsMemory = {
  iterations: 1000,
  allocatedPerOp: 19_300,
  allocated: 19_300_000,
  peak: 1_100_000,
  peakHeap: 1_100_000,
  peakExternal: 0,
  retained: 12_000,
  youngGenerationPinned: true,
}

describe('parseLimits', () => {
  test('reads each size', () => {
    expect(parseLimits('parse', { peak: '10 MB', allocated: '1 KiB', retained: 0 })).toEqual({
      peak: 10_000_000,
      allocated: 1024,
      retained: 0,
    })
    expect(parseLimits('parse', undefined)).toEqual({})
  })

  test('a size it cannot read names the task and the key, and keeps the reason', () => {
    expect(() => parseLimits('parse', { peak: '10' })).toThrow(
      /bench\.add\("parse", fn, \{ memory: \{ peak \} \}\): Invalid memory size "10": it has no unit/,
    )
  })

  test('an unknown key or a non-object is refused with the limits there are', () => {
    expect(() => parseLimits('parse', { heap: '1 MB' })).toThrow(
      /there is no limit "heap"; the limits are allocated, peak, retained/,
    )
    expect(() => parseLimits('parse', '10 MB')).toThrow(/memory must be an object of limits/)
  })
})

describe('limitViolations', () => {
  test('one line per figure over its limit, none within', () => {
    expect(limitViolations('parse', { allocated: 2000, peak: 10_000_000 }, figures)).toEqual([
      'task "parse": allocated per operation 19.3 kB, over its limit of 2 kB',
    ])
    expect(limitViolations('parse', { allocated: 20_000, retained: 12_000 }, figures)).toEqual([])
    expect(limitViolations('parse', { retained: 11_999 }, figures)).toHaveLength(1)
  })
})
