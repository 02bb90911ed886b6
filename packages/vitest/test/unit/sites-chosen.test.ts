import { describe, expect, test } from 'vitest'
import { chooseSites, hasTimeout, isTimeout } from '../../src/runtime/diagnosis-budget.js'

describe('whether the diagnosis run tracks allocation sites', () => {
  test('as the test asks, whatever the body took and the timeout', () => {
    for (const [bodyMs, timeout] of [
      [10, 5000],
      [3000, 5000],
      [4000, 0],
    ]) {
      expect(chooseSites({ sites: true }, bodyMs as number, timeout as number)).toEqual({
        track: true,
        why: 'asked',
      })
      expect(chooseSites({ sites: false }, bodyMs as number, timeout as number)).toEqual({
        track: false,
        why: 'asked',
      })
    }
  })

  test('within the default 5 s timeout: a body up to 166 ms, the tracked run then takes at most 30 times that', () => {
    expect(chooseSites(true, 20, 5000)).toEqual({ track: true, why: 'fits' })
    expect(chooseSites(true, 166, 5000)).toEqual({ track: true, why: 'fits' })
    // 30 × its time exactly is taken to fit.
    expect(chooseSites(true, 100, 3000)).toEqual({ track: true, why: 'fits' })
    expect(chooseSites(true, 167, 5000)).toEqual({ track: false, why: 'timeout' })
    // Issue 17's memo cache of 20,000 entries, measured at 200 to 500 ms on 2 cores.
    expect(chooseSites(true, 238, 5000)).toEqual({ track: false, why: 'timeout' })
  })

  test('a body over 2 s is untracked whatever the timeout, and is said to be slow rather than the timeout', () => {
    expect(chooseSites(true, 2000, 120_000)).toEqual({ track: true, why: 'fits' })
    expect(chooseSites(true, 2001, 120_000)).toEqual({ track: false, why: 'slow' })
    expect(chooseSites(true, 3000, 5000)).toEqual({ track: false, why: 'slow' })
  })

  test('without a timeout (0 or Infinity, as Vitest reads them) only the 2 s apply', () => {
    for (const none of [0, -1, Number.POSITIVE_INFINITY]) {
      expect(hasTimeout(none)).toBe(false)
      expect(chooseSites(true, 1500, none)).toEqual({ track: true, why: 'fits' })
      expect(chooseSites(true, 2500, none)).toEqual({ track: false, why: 'slow' })
    }
    expect(hasTimeout(5000)).toBe(true)
  })
})

describe("a re-run's error is Vitest's timeout", () => {
  const vitests = (ms: number) =>
    new Error(
      `Test timed out in ${ms}ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".`,
    )

  test("when it is Vitest's message for the test's own timeout", () => {
    expect(isTimeout(vitests(5000), 5000)).toBe(true)
    // From another realm (the vm pools), an error is still read by its message.
    expect(isTimeout({ message: vitests(300).message }, 300)).toBe(true)
  })

  test("not for another timeout, a body's own error, or a test without a timeout", () => {
    expect(isTimeout(vitests(300), 5000)).toBe(false)
    expect(isTimeout(new Error('ECONNRESET'), 5000)).toBe(false)
    expect(isTimeout(new Error('request timed out in 5000ms'), 5000)).toBe(false)
    expect(isTimeout(vitests(5000), 0)).toBe(false)
    expect(isTimeout(vitests(5000), Number.POSITIVE_INFINITY)).toBe(false)
    for (const thrown of ['Test timed out in 5000ms', null, undefined, 42])
      expect(isTimeout(thrown, 5000)).toBe(false)
  })
})
