import { parseSize, readMemory, type Size } from '@memgate/core'
import { CachingFibonacciIterator } from './caching.js'
import type { FibonacciIterator } from './iterator.js'

/** The guarded iterator went over its budget and was told to refuse rather than start over. */
export class MemoryBudgetError extends Error {
  constructor(budget: number, used: number) {
    super(`The Fibonacci iterator may use ${budget} bytes but the process grew by ${used} since it started`)
    this.name = 'MemoryBudgetError'
  }
}

export interface GuardOptions {
  /** How much the process's memory (JS heap + external) may grow while the iterator runs. */
  budget: Size
  /** What to do past the budget: drop the cache and start over from 0, or throw. Default `'reset'`. */
  onExceeded?: 'reset' | 'throw'
  /** Steps between two looks at memory; a look costs about a microsecond. Default 64. */
  checkEvery?: number
}

/**
 * A caching iterator with a memory budget, checked against what the process really holds (heap used +
 * external, as memgate reads them) rather than a guess of the numbers' sizes. Past the budget it resets (or
 * throws): the seed's "memory-limited" iterator, without the system-wide memory percentage.
 */
export class MemoryGuardedFibonacciIterator implements FibonacciIterator {
  readonly #inner = new CachingFibonacciIterator()
  readonly #budget: number
  readonly #onExceeded: 'reset' | 'throw'
  readonly #checkEvery: number
  #baseline = total()
  #sinceCheck = 0
  /** How many times it started over because of the budget. */
  resets = 0

  constructor(options: GuardOptions) {
    this.#budget = parseSize(options.budget)
    this.#onExceeded = options.onExceeded ?? 'reset'
    this.#checkEvery = options.checkEvery ?? 64
  }

  next(): IteratorYieldResult<bigint> {
    if (++this.#sinceCheck >= this.#checkEvery) {
      this.#sinceCheck = 0
      const now = total()
      // Track the lowest level seen: garbage freed since the start lowers the bar, it does not raise it.
      this.#baseline = Math.min(this.#baseline, now)
      const used = now - this.#baseline
      if (used > this.#budget) {
        if (this.#onExceeded === 'throw') throw new MemoryBudgetError(this.#budget, used)
        this.resets++
        this.reset()
      }
    }
    return this.#inner.next()
  }

  reset(): void {
    this.#inner.reset()
    this.#sinceCheck = 0
    // The dropped cache is garbage until the next GC; the budget applies to growth from here.
    this.#baseline = total()
  }

  [Symbol.iterator](): this {
    return this
  }
}

function total(): number {
  const { heap, external } = readMemory()
  return heap + external
}
