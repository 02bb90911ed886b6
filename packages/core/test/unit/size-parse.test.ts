import { describe, expect, test } from 'vitest'
import { formatSize, InvalidSizeError, parseSize } from '../../src/index.js'

describe('parseSize accepts', () => {
  test.for([
    [0, 0],
    [1048576, 1_048_576],
    ['0 B', 0],
    ['100 B', 100],
    ['100B', 100],
    ['100 b', 100],
    ['512 kB', 512_000],
    ['512 KB', 512_000],
    ['512kb', 512_000],
    ['2k', 2_000],
    ['24 MB', 24_000_000],
    ['24MB', 24_000_000],
    ['24 mb', 24_000_000],
    ['24m', 24_000_000],
    ['  24 MB  ', 24_000_000],
    ['1.5 MB', 1_500_000],
    ['.5 MB', 500_000],
    ['3 GB', 3_000_000_000],
    ['2 TB', 2_000_000_000_000],
    ['1 KiB', 1024],
    ['1 kib', 1024],
    ['10 MiB', 10_485_760],
    ['1.5 GiB', 1_610_612_736],
    ['1 TiB', 1_099_511_627_776],
    ['0.1 KiB', 102],
  ] as const)('%j is %d bytes', ([input, bytes]) => {
    expect(parseSize(input)).toBe(bytes)
  })
})

describe('parseSize rejects', () => {
  test.for([
    ['10', 'Invalid memory size "10": it has no unit.'],
    ['10.5', 'Invalid memory size "10.5": it has no unit.'],
    ['-1 MB', 'Invalid memory size "-1 MB": a size cannot be negative.'],
    ['1 MX', 'Invalid memory size "1 MX": "MX" is not a unit of memory.'],
    ['1 megabytes', 'Invalid memory size "1 megabytes": "megabytes" is not a unit of memory.'],
    ['100 MB extra', 'Invalid memory size "100 MB extra": it is not a number followed by a unit.'],
    ['MB', 'Invalid memory size "MB": it is not a number followed by a unit.'],
    ['', 'Invalid memory size "": it is not a number followed by a unit.'],
    ['1e3 MB', 'Invalid memory size "1e3 MB": it is not a number followed by a unit.'],
    ['1,5 MB', 'Invalid memory size "1,5 MB": it is not a number followed by a unit.'],
    ['NaN', 'Invalid memory size "NaN": it is not a number followed by a unit.'],
    [Number.NaN, 'Invalid memory size NaN: it is not a finite number.'],
    [Number.POSITIVE_INFINITY, 'Invalid memory size Infinity: it is not a finite number.'],
    [-5, 'Invalid memory size -5: a size cannot be negative.'],
    [1.5, 'Invalid memory size 1.5: a number of bytes must be a whole number.'],
    ['99999999999 TB', 'Invalid memory size "99999999999 TB": it is too large.'],
    [null, 'Invalid memory size null: expected a number or a string.'],
    [undefined, 'Invalid memory size undefined: expected a number or a string.'],
    [{}, 'Invalid memory size of type object: expected a number or a string.'],
  ] as const)('%j', ([input, reason]) => {
    let error: unknown
    try {
      parseSize(input as never)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InvalidSizeError)
    expect((error as InvalidSizeError).code).toBe('MEMGATE_INVALID_SIZE')
    // The value exactly as given, for tools that report it.
    expect((error as InvalidSizeError).input).toBe(input)
    expect((error as InvalidSizeError).message).toBe(
      `${reason} Give a number of bytes (e.g. 1048576) or a string with a unit: "100 B", "512 kB", "24 MB", ` +
        '"1.5 GiB" (kB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB are powers of 1024).',
    )
  })
})

describe('formatSize', () => {
  test.for([
    [0, '0 B'],
    [999, '999 B'],
    [1_000, '1 kB'],
    [48_200_000, '48.2 MB'],
    [48_249_999, '48.2 MB'],
    [1_610_612_736, '1.6 GB'],
  ] as const)('%d bytes reads %s', ([bytes, text]) => {
    expect(formatSize(bytes)).toBe(text)
  })

  test('signs changes when asked', () => {
    expect(formatSize(7_700_000, { signed: true })).toBe('+7.7 MB')
    expect(formatSize(-1_200_000, { signed: true })).toBe('-1.2 MB')
  })
})
