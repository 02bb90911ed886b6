/** The first Fibonacci numbers from 0, by the definition F(n) = F(n − 1) + F(n − 2), written out plainly. */
export function firstFibonacci(count: number): bigint[] {
  const out: bigint[] = [0n, 1n]
  while (out.length < count) out.push((out.at(-1) ?? 0n) + (out.at(-2) ?? 0n))
  return out.slice(0, count)
}

/** F(100), well beyond 2^53, from a published table (not computed here). */
export const F100 = 354224848179261915075n

/** F(20), F(50) and F(78) from the same table, to check `firstFibonacci` itself. */
export const PUBLISHED = { 20: 6765n, 50: 12586269025n, 78: 8944394323791464n } as const
