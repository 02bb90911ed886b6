import { InvalidSizeError } from '@memgate/core'
import { describe, expect, test } from 'vitest'
import { limitLeaks, limitMemory } from '../../src/index.js'

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
