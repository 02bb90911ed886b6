import { describe, expect, test } from 'vitest'
import { sliceBytes } from '../../src/measure/pacing-hooks.js'

describe('the size of a slice, known before it is made', () => {
  const ends = [undefined, 0, 3, -3, 7, 100, -100, 2.7, -0.5, Number.NaN, Infinity, -Infinity]
  test.for([0, 1, 7])('is what slice() copies, for every start and end, of %d elements', (length) => {
    const doubles = new Float64Array(length)
    for (const start of ends) {
      for (const end of ends) {
        expect(sliceBytes(length, 8, [start, end]), `slice(${start}, ${end})`).toBe(
          doubles.slice(start, end).byteLength,
        )
        expect(sliceBytes(length * 8, 1, [start, end])).toBe(doubles.buffer.slice(start, end).byteLength)
      }
    }
  })

  test('is unknown when an argument is not a number (its valueOf is the user code slice runs)', () => {
    expect(sliceBytes(8, 1, ['2'])).toBeUndefined()
    expect(sliceBytes(8, 1, [0, { valueOf: () => 4 }])).toBeUndefined()
  })
})
