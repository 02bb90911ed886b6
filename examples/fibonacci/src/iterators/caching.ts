import type { FibonacciIterator } from './iterator.js'

/**
 * Keeps every number it has produced, and computes the next from the last two it kept: simple, and its
 * memory grows with every step (the sum of the sizes of all the numbers so far).
 */
export class CachingFibonacciIterator implements FibonacciIterator {
  #numbers: bigint[] = [0n, 1n]
  #step = 0

  next(): IteratorYieldResult<bigint> {
    const step = this.#step++
    if (step >= this.#numbers.length) {
      this.#numbers.push((this.#numbers[step - 2] ?? 0n) + (this.#numbers[step - 1] ?? 0n))
    }
    return { done: false, value: this.#numbers[step] ?? 0n }
  }

  /** How many numbers it holds. */
  get cached(): number {
    return this.#numbers.length
  }

  reset(): void {
    this.#numbers = [0n, 1n]
    this.#step = 0
  }

  [Symbol.iterator](): this {
    return this
  }
}
