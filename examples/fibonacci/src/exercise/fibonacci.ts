// Exercise 1 — edit this file (not the tests) until `pnpm --filter @memgate-examples/fibonacci exercise`
// passes. The memory test allows 8 MB; this version needs far more. Tip: run it under memgate and open
// the flamegraph to see which function holds the memory.

/** The first `length` Fibonacci numbers: 1, 1, 2, 3, 5, … */
export function fibonacci(length: number): Iterable<bigint> {
  const output: bigint[] = []
  if (length < 1) return output
  output.push(1n)
  if (length === 1) return output
  output.push(1n)
  for (let i = 2; i < length; i++) {
    output.push((output[i - 2] ?? 0n) + (output[i - 1] ?? 0n))
  }
  return output
}
