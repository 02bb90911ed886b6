import { InvalidSizeError } from '@memgate/core'
import { describe, expect, test } from 'vitest'
import { InvalidLimitOptionError, limitLeaks, limitMemory } from '../../src/index.js'
import type { DeclaredLimits } from '../../src/runtime/limit-types.js'
import { applicableLimits, declaredLimits, type LimitedTask } from '../../src/runtime/limits.js'

describe('limitMemory', () => {
  test('carries the peak limit in bytes in the test meta', () => {
    expect(limitMemory('10 MB')).toEqual({ meta: { memgate: { limits: { peak: 10_000_000 } } } })
  })

  test('takes a leak limit beside it', () => {
    expect(limitMemory('10 MiB', { leaks: '64 KB' })).toEqual({
      meta: { memgate: { limits: { peak: 10_485_760, leaks: 64_000 } } },
    })
  })

  test('rejects a size without a unit, quoting it', () => {
    expect(() => limitMemory('10')).toThrow(InvalidSizeError)
    expect(() => limitMemory('10')).toThrow('Invalid memory size "10": it has no unit.')
  })

  test('rejects a negative number of bytes', () => {
    expect(() => limitMemory(-5)).toThrow('Invalid memory size -5: a size cannot be negative.')
  })
})

describe('limitLeaks', () => {
  test('carries the leak limit, and an optional peak limit', () => {
    expect(limitLeaks(1024)).toEqual({ meta: { memgate: { limits: { leaks: 1024 } } } })
    expect(limitLeaks('1 KiB', { peak: '2 MB' })).toEqual({
      meta: { memgate: { limits: { leaks: 1024, peak: 2_000_000 } } },
    })
  })

  test('rejects an unknown unit', () => {
    expect(() => limitLeaks('1 MX')).toThrow('"MX" is not a unit of memory')
  })
})

// A test's own ignore against the plugin's ignoreLeaks (run for real in e2e/leak-ignore-default.test.ts).
describe("a test's own ignore", () => {
  test('ignore: false is kept in the meta as null, and needs a leak limit', () => {
    expect(limitLeaks('1 kB', { ignore: false })).toEqual({
      meta: { memgate: { limits: { leaks: 1000, ignore: null } } },
    })
    expect(() => limitMemory('1 MB', { ignore: false })).toThrow(InvalidLimitOptionError)
    expect(() => limitMemory('1 MB', { ignore: false })).toThrow(
      'limitMemory("1 MB", { ignore: false }): ignore applies to the leak check: give a leak limit too (`leaks`).',
    )
  })

  test('joins the plugin default without repeating a pattern, plugin patterns first', () => {
    const fence = { leaks: 1000, ignore: { kinds: ['Map'], sites: ['lib'] } }
    expect(applicableLimits(fence, { ignore: { kinds: ['Label', 'Map'], sites: [] } })).toEqual({
      leaks: 1000,
      ignore: { kinds: ['Map', 'Label'], sites: ['lib'] },
    })
    expect(applicableLimits(fence, { ignore: null })).toEqual({ leaks: 1000 })
    expect(applicableLimits(fence)).toEqual(fence)
    expect(applicableLimits(fence, { peak: 5000, leaks: null })).toEqual({ peak: 5000 })
  })
})

describe('limits declared on describe blocks', () => {
  // As Vitest collects them: each block's meta is its own `memgate` over its parent's, and a test's the same.
  const task = (limits: DeclaredLimits | undefined, suite?: LimitedTask): LimitedTask => ({
    meta: limits ? { memgate: { limits } } : {},
    ...(suite ? { suite } : {}),
  })

  test('hold by kind, the nearest declaration of each', () => {
    const outer = task({ peak: 5000 })
    expect(declaredLimits(task({ leaks: 1000 }, outer))).toEqual({ peak: 5000, leaks: 1000 })
    const inner = task({ leaks: 2000, runs: 5, diagnose: false }, outer)
    expect(declaredLimits(task({ peak: 8000 }, inner))).toEqual({
      peak: 8000,
      leaks: 2000,
      runs: 5,
      diagnose: false,
    })
    expect(declaredLimits(task({ peak: null }, inner))).toEqual({
      peak: null,
      leaks: 2000,
      runs: 5,
      diagnose: false,
    })
  })

  test("take a leak limit's options from its own declaration only", () => {
    const outer = task({ leaks: 2000, runs: 5, ignore: { kinds: ['Map'], sites: [] } })
    expect(declaredLimits(task({ leaks: 1000 }, outer))).toEqual({ leaks: 1000 })
    expect(declaredLimits(task(undefined, outer))).toEqual({
      leaks: 2000,
      runs: 5,
      ignore: { kinds: ['Map'], sites: [] },
    })
  })

  test('are none when no block declares any', () => {
    expect(declaredLimits(task(undefined, task(undefined)))).toBeUndefined()
  })
})
