/**
 * The first `length` Fibonacci numbers: 1, 1, 2, 3, 5, … — produced one at a time. A generator holds only
 * the last two numbers; the caller decides whether to keep anything.
 */
export function* fibonacci(length: number): Generator<bigint, void, undefined> {
  let [left, right] = [1n, 1n]
  for (let i = 0; i < length; i++) {
    yield left
    ;[left, right] = [right, left + right]
  }
}
