import { measure } from '@memgate/core'
import { limitMemory } from '@memgate/vitest'
import { describe, expect, test } from 'vitest'
import { CachingFibonacciIterator } from '../src/iterators/caching.js'
import type { FibonacciIterator } from '../src/iterators/iterator.js'
import { MemoryGuardedFibonacciIterator } from '../src/iterators/memory-guarded.js'
import { TwoValueFibonacciIterator } from '../src/iterators/two-value.js'
import { UnifiedFibonacciIterator } from '../src/iterators/unified.js'

const STEPS = 20_000

function walk(iterator: FibonacciIterator, steps: number): bigint {
  let last = 0n
  for (let i = 0; i < steps; i++) last = iterator.next().value
  return last
}

describe(`${STEPS.toLocaleString('en')} steps`, () => {
  test('the two-value iterator holds two numbers', limitMemory('4 MB'), () => {
    expect(walk(new TwoValueFibonacciIterator(), STEPS)).toBeGreaterThan(0n)
  })

  test('the memory-guarded iterator starts over before it outgrows its budget', limitMemory('12 MB'), () => {
    const iterator = new MemoryGuardedFibonacciIterator({ budget: '4 MB' })
    walk(iterator, STEPS)
    expect(iterator.resets).toBeGreaterThan(0)
  })

  test('the unified iterator, the same guard in one class, does too', limitMemory('12 MB'), () => {
    const iterator = new UnifiedFibonacciIterator({ budget: '4 MB' })
    walk(iterator, STEPS)
    expect(iterator.resets).toBeGreaterThan(0)
  })

  test('the caching iterator holds every number: several times the others', async () => {
    const iterator = new CachingFibonacciIterator()
    const { peak, leaked } = await measure(() => walk(iterator, STEPS))
    expect(iterator.cached).toBe(STEPS)
    expect(peak).toBeGreaterThan(15e6)
    expect(leaked).toBeGreaterThan(15e6)
  })
})
