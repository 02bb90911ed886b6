import { describe, expect, test } from 'vitest'
import { chooseSites, hasTimeout, isTimeout, trackedRerunMs } from '../../src/runtime/diagnosis-budget.js'

const run = (bodyMs: number, allocatedMB = 0) => ({ bodyMs, allocated: allocatedMB * 1e6 })

describe('whether the diagnosis run tracks allocation sites', () => {
  test('as the test asks, whatever the body took and the timeout', () => {
    for (const [measured, timeout] of [
      [run(10), 5000],
      [run(3000, 500), 5000],
      [run(4000), 0],
    ] as const) {
      expect(chooseSites({ sites: true }, measured, timeout)).toEqual({ track: true, why: 'asked' })
      expect(chooseSites({ sites: false }, measured, timeout)).toEqual({ track: false, why: 'asked' })
    }
  })

  test('the tracked re-run is estimated at twice the measured time plus 75 ms per MB allocated', () => {
    expect(trackedRerunMs(run(100))).toBe(200)
    expect(trackedRerunMs(run(0, 10))).toBe(750)
    expect(trackedRerunMs(run(100, 10))).toBe(950)
  })

  test('within the timeout by that estimate: tracked; past it: not, for the timeout', () => {
    // Just fits, both ways; a little more does not.
    expect(chooseSites(true, run(100), 200)).toEqual({ track: true, why: 'fits' })
    expect(chooseSites(true, run(101), 200)).toEqual({ track: false, why: 'timeout' })
    expect(chooseSites(true, run(0, 40), 3000)).toEqual({ track: true, why: 'fits' })
    expect(chooseSites(true, run(0, 40.1), 3000)).toEqual({ track: false, why: 'timeout' })
  })

  test("under Vitest's default 5 s: issue 17's memo cache is not tracked, the leak-hunting guide's test is", () => {
    // As their first runs measured on 2 cores (BENCHMARKS.md): about as long, far from allocating as much.
    expect(chooseSites(true, run(238, 200), 5000)).toEqual({ track: false, why: 'timeout' })
    expect(chooseSites(true, run(345, 21), 5000)).toEqual({ track: true, why: 'fits' })
  })

  test('a body over 2 s is untracked whatever the timeout, and is said to be slow rather than the timeout', () => {
    expect(chooseSites(true, run(2000), 120_000)).toEqual({ track: true, why: 'fits' })
    expect(chooseSites(true, run(2001), 120_000)).toEqual({ track: false, why: 'slow' })
    expect(chooseSites(true, run(3000, 100), 5000)).toEqual({ track: false, why: 'slow' })
  })

  test('without a timeout (0 or Infinity, as Vitest reads them) only the 2 s apply', () => {
    for (const none of [0, -1, Number.POSITIVE_INFINITY]) {
      expect(hasTimeout(none)).toBe(false)
      expect(chooseSites(true, run(1500, 1000), none)).toEqual({ track: true, why: 'fits' })
      expect(chooseSites(true, run(2500), none)).toEqual({ track: false, why: 'slow' })
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
