import { InvalidSizeError } from '@memgate/core'
import { describe, expect, test } from 'vitest'
import { InvalidLimitOptionError, limitLeaks, limitMemory } from '../../src/index.js'
import { applicableLimits } from '../../src/runtime/limits.js'

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
