import { describe, expect, test } from 'vitest'
import * as exercise from '../src/exercise/fibonacci.js'
import * as solution from '../src/solution/fibonacci.js'
import { summarize } from '../src/summarize.js'
import { F100, firstFibonacci } from './known.js'

describe.for([
  ['exercise', exercise.fibonacci],
  ['solution', solution.fibonacci],
] as const)('%s fibonacci()', ([, fibonacci]) => {
  test('yields the first numbers from 1, 1', () => {
    expect([...fibonacci(10)]).toEqual(firstFibonacci(11).slice(1))
  })

  test('handles 0, 1 and 2 terms', () => {
    expect([...fibonacci(0)]).toEqual([])
    expect([...fibonacci(1)]).toEqual([1n])
    expect([...fibonacci(2)]).toEqual([1n, 1n])
  })

  test('is exact beyond 2^53', () => {
    expect([...fibonacci(100)].at(-1)).toBe(F100)
  })

  test('summarizes 20,000 terms', () => {
    // The first n numbers sum to F(n + 2) − 1; last digits repeat every 60, and F(20,002) ends like F(22) = 17711.
    expect(summarize(fibonacci(20_000))).toEqual({ count: 20_000, lastDigit: 0n })
  })
})
