import { describe, expect, test } from 'vitest'
import { CachingFibonacciIterator } from '../src/iterators/caching.js'
import type { FibonacciIterator } from '../src/iterators/iterator.js'
import {
  type GuardOptions,
  MemoryBudgetError,
  MemoryGuardedFibonacciIterator,
} from '../src/iterators/memory-guarded.js'
import { TwoValueFibonacciIterator } from '../src/iterators/two-value.js'
import { UnifiedFibonacciIterator } from '../src/iterators/unified.js'
import { F100, firstFibonacci, PUBLISHED } from './known.js'

const take = (iterator: FibonacciIterator, count: number) =>
  Array.from({ length: count }, () => iterator.next().value)

describe.for([
  ['caching', () => new CachingFibonacciIterator()],
  ['two-value', () => new TwoValueFibonacciIterator()],
  ['memory-guarded', () => new MemoryGuardedFibonacciIterator({ budget: '64 MB' })],
  ['unified', () => new UnifiedFibonacciIterator({ budget: '64 MB' })],
] as const)('the %s iterator', ([, make]) => {
  test('yields 0, 1, 1, 2, 3, … for the first 100 values', () => {
    expect(take(make(), 100)).toEqual(firstFibonacci(100))
  })

  test('is exact beyond 2^53', () => {
    expect(take(make(), 101).at(-1)).toBe(F100)
  })

  test('starts over after reset()', () => {
    const iterator = make()
    take(iterator, 50)
    iterator.reset()
    expect(take(iterator, 5)).toEqual([0n, 1n, 1n, 2n, 3n])
  })

  test('works with for…of', () => {
    const seen: bigint[] = []
    for (const value of make()) {
      if (seen.push(value) === 10) break
    }
    expect(seen).toEqual(firstFibonacci(10))
  })
})

test('the reference sequence matches published values', () => {
  const reference = firstFibonacci(101)
  for (const [n, value] of Object.entries(PUBLISHED)) expect(reference[Number(n)]).toBe(value)
  expect(reference[100]).toBe(F100)
})

// The memory-guarded iterator and its one-class twin, the unified one: the same guard.
describe.for([
  ['memory-guarded', (options: GuardOptions) => new MemoryGuardedFibonacciIterator(options)],
  ['unified', (options: GuardOptions) => new UnifiedFibonacciIterator(options)],
] as const)('the %s iterator', ([, make]) => {
  test('starts over when the process grows past its budget', () => {
    const iterator = make({ budget: '2 MB', checkEvery: 16 })
    take(iterator, 30_000)
    expect(iterator.resets).toBeGreaterThan(0)
  })

  test('refuses to go on when told to', () => {
    const iterator = make({ budget: '2 MB', onExceeded: 'throw', checkEvery: 16 })
    expect(() => take(iterator, 30_000)).toThrow(MemoryBudgetError)
  })

  test('rejects a budget it cannot read', () => {
    expect(() => make({ budget: '2' })).toThrow('Invalid memory size "2"')
  })
})
