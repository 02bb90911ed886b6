import type { FibonacciIterator } from './iterator.js'

/** Keeps only the last two numbers: memory stays at the size of two numbers, however far it goes. */
export class TwoValueFibonacciIterator implements FibonacciIterator {
  #current = 0n
  #following = 1n

  next(): IteratorYieldResult<bigint> {
    const value = this.#current
    ;[this.#current, this.#following] = [this.#following, this.#current + this.#following]
    return { done: false, value }
  }

  reset(): void {
    this.#current = 0n
    this.#following = 1n
  }

  [Symbol.iterator](): this {
    return this
  }
}
