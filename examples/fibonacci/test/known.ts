/** The first Fibonacci numbers from 0, computed with plain numbers (exact below 2^53). */
export function firstFibonacci(count: number): bigint[] {
  const out: number[] = [0, 1]
  while (out.length < count) out.push((out.at(-1) ?? 0) + (out.at(-2) ?? 0))
  return out.slice(0, count).map(BigInt)
}

/** F(100), well beyond 2^53. */
export const F100 = 354224848179261915075n
