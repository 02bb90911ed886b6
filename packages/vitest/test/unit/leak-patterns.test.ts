import { describe, expect, test } from 'vitest'
import { EmptyPatternError, limitLeaks, memgate } from '../../src/index.js'

function errorOf(declare: () => unknown): EmptyPatternError {
  try {
    declare()
  } catch (error) {
    expect(error).toBeInstanceOf(EmptyPatternError)
    return error as EmptyPatternError
  }
  throw new Error('the empty pattern was accepted')
}

describe("an empty pattern is refused alike by the plugin's ignoreLeaks and a test's ignore", () => {
  test.each([
    [
      'ignoreLeaks.kinds',
      () => memgate({ ignoreLeaks: { kinds: ['CacheEntry', ''] } }),
      'memgate({ ignoreLeaks.kinds }): an empty string in ignoreLeaks.kinds matches every kind, so it would leave out every leak: remove it.',
    ],
    [
      'ignoreLeaks.sites',
      () => memgate({ ignoreLeaks: { sites: [''] } }),
      'memgate({ ignoreLeaks.sites }): an empty string in ignoreLeaks.sites matches every site, so it would leave out every leak: remove it.',
    ],
    [
      'ignore.kinds',
      () => limitLeaks('1 kB', { ignore: { kinds: [''] } }),
      'limitLeaks("1 kB", { ignore: { kinds: [""] } }): an empty string in ignore.kinds matches every kind, so it would leave out every leak: remove it.',
    ],
    [
      'ignore.sites',
      () => limitLeaks('1 kB', { runs: 2, ignore: { sites: [/vendor/, ''] } }),
      'limitLeaks("1 kB", { ignore: { sites: [/vendor/, ""] } }): an empty string in ignore.sites matches every site, so it would leave out every leak: remove it.',
    ],
  ] as const)('%s', (option, declare, message) => {
    const error = errorOf(declare)
    expect(error.code).toBe('MEMGATE_EMPTY_PATTERN')
    expect(error.option).toBe(option)
    expect(error.message).toBe(message)
  })
})
