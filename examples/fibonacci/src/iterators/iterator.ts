/** An endless Fibonacci iterator — 0, 1, 1, 2, 3, … — that can start over. */
export interface FibonacciIterator extends IterableIterator<bigint> {
  next(): IteratorYieldResult<bigint>
  /** Starts again from 0. */
  reset(): void
}
