import { parseSize, readMemory } from '@memgate/core'
import type { FibonacciIterator } from './iterator.js'
import { type GuardOptions, MemoryBudgetError } from './memory-guarded.js'

/**
 * The memory-guarded iterator written as one class: its cache and its budget check in the same `next()`,
 * with no inner caching iterator to delegate to — the seed's "unified" iterator, its memory-limited one
 * without inheritance. Same options, same behaviour; the benchmark times the two side by side.
 */
export class UnifiedFibonacciIterator implements FibonacciIterator {
  #numbers: bigint[] = [0n, 1n]
  #step = 0
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
      this.#baseline = Math.min(this.#baseline, now)
      const used = now - this.#baseline
      if (used > this.#budget) {
        if (this.#onExceeded === 'throw') throw new MemoryBudgetError(this.#budget, used)
        this.resets++
        this.reset()
      }
    }
    const step = this.#step++
    if (step >= this.#numbers.length) {
      this.#numbers.push((this.#numbers[step - 2] ?? 0n) + (this.#numbers[step - 1] ?? 0n))
    }
    return { done: false, value: this.#numbers[step] ?? 0n }
  }

  reset(): void {
    this.#numbers = [0n, 1n]
    this.#step = 0
    this.#sinceCheck = 0
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
