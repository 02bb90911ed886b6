// Exercise 1's memory test, paired with the correctness tests in fibonacci-sequence.test.ts: an
// optimisation must pass both. CI runs it against the sample solution; `pnpm exercise` against yours.
import { limitMemory } from '@memgate/vitest'
import { expect, test } from 'vitest'
import { fibonacci } from '../src/fibonacci.js'
import { summarize } from '../src/summarize.js'

test('summing the first 20,000 Fibonacci numbers stays under 8 MB', limitMemory('8 MB'), () => {
  expect(summarize(fibonacci(20_000))).toEqual({ count: 20_000, lastDigit: 0n })
})
