import { describe, expect, test } from 'vitest'
import { updateMode } from '../../src/node/gate-config.js'
import {
  compare,
  describeGrowth,
  formatPercent,
  gatedFigures,
  percent,
  testId,
} from '../../src/runtime/gate.js'

const DEFAULT = { relative: 0.3, floor: 4_000_000 }

describe('compare: a figure moves beyond the larger of the relative tolerance and the floor', () => {
  test.for([
    // Under the floor (4 MB is more than 30% of 10 MB): up to 4 MB either way is the same.
    [10_000_000, 14_000_000, 'same'],
    [10_000_000, 14_000_001, 'grew'],
    [10_000_000, 6_000_000, 'same'],
    [10_000_000, 5_999_999, 'shrank'],
    // Over it, 30% of 100 MB.
    [100_000_000, 130_000_000, 'same'],
    [100_000_000, 130_000_001, 'grew'],
    [100_000_000, 69_999_999, 'shrank'],
    [0, 4_000_001, 'grew'],
  ] as const)('peak %d → %d: %s', ([before, after, change]) => {
    expect(compare({ peak: after }, { peak: before }, DEFAULT)).toEqual([
      { figure: 'peak', before, after, change },
    ])
  })

  test('only the figures both sides have, peak first', () => {
    expect(compare({ peak: 1, leaked: 2 }, { leaked: 9_000_000 }, DEFAULT)).toEqual([
      { figure: 'leaked', before: 9_000_000, after: 2, change: 'shrank' },
    ])
    expect(compare({ leaked: 2 }, { peak: 1 }, DEFAULT)).toEqual([])
    expect(compare({ peak: 50, leaked: 50 }, { peak: 10, leaked: 10 }, { relative: 0.1, floor: 0 })).toEqual([
      { figure: 'peak', before: 10, after: 50, change: 'grew' },
      { figure: 'leaked', before: 10, after: 50, change: 'grew' },
    ])
  })
})

describe('describeGrowth and percentages', () => {
  test('say the figure, both sizes, the change and the tolerance', () => {
    expect(
      describeGrowth(
        { figure: 'peak', before: 12_100_000, after: 19_800_000, change: 'grew' },
        { relative: 0.1, floor: 1_000_000 },
      ),
    ).toBe('peak grew from 12.1 MB to 19.8 MB (+64%, tolerance 10%, floor 1 MB)')
    expect(
      describeGrowth({ figure: 'leaked', before: 10_000_000, after: 5_000_000, change: 'shrank' }, DEFAULT),
    ).toBe('leaked shrank from 10 MB to 5 MB (-50%, tolerance 30%, floor 4 MB)')
  })

  test.for([
    [0, 0, '+0%'],
    [0, 5, '+∞%'],
    [100, 100, '+0%'],
    [100, 105.5, '+5.5%'],
    [100, 150, '+50%'],
    [200, 100, '-50%'],
    [100, 112.5, '+13%'],
  ] as const)('percent(%d, %d) is %s', ([before, after, text]) => {
    expect(percent(before, after)).toBe(text)
  })

  test('formatPercent keeps one decimal under 10% only when there is one', () => {
    expect([0, 0.02, 0.025, 0.1, 0.125, 1].map(formatPercent)).toEqual([
      '0%',
      '2%',
      '2.5%',
      '10%',
      '13%',
      '100%',
    ])
  })

  test('formatPercent prints a whole percentage whole, whatever the floating point', () => {
    // 0.07 * 100 is 7.000000000000001, 0.29 * 100 is 28.999999999999996.
    expect([0.07, 0.14, 0.29, 0.057, 0.0999].map(formatPercent)).toEqual(['7%', '14%', '29%', '5.7%', '10%'])
  })
})

describe('gatedFigures: the figures a test has a limit for, both when it has none', () => {
  test.for([
    [{}, 5, { peak: 100, leaked: 5 }],
    [{}, undefined, { peak: 100 }],
    [{ peak: 1000 }, 5, { peak: 100 }],
    [{ leaks: 1000 }, 5, { leaked: 5 }],
    [{ peak: 1000, leaks: 1000 }, 5, { peak: 100, leaked: 5 }],
  ] as const)('limits %j, leaked %s → %j', ([limits, leaked, entry]) => {
    expect(gatedFigures({ peak: 100, leaked, limits })).toEqual(entry)
  })
})

describe('ids and update modes', () => {
  test('testId is what Vitest prints: |project| file > names, with / separators', () => {
    expect(testId('unit', 'src\\deep\\a.test.ts', 'group > case')).toBe(
      '|unit| src/deep/a.test.ts > group > case',
    )
    expect(testId('', 'a.test.ts', 'case')).toBe('a.test.ts > case')
    expect(testId('', 'a.test.ts', '')).toBe('a.test.ts > ')
  })

  test.for([
    ['', false],
    ['0', false],
    ['no', false],
    ['1', 'changed'],
    ['true', 'changed'],
    [' YES ', 'changed'],
    ['all', 'all'],
    ['ALL', 'all'],
  ] as const)('MEMGATE_UPDATE=%j is %s', ([value, mode]) => {
    expect(updateMode(value)).toBe(mode)
  })
})
