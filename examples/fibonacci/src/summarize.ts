/** What the exercise prints: how many numbers there were and the last digit of their sum. */
export function summarize(numbers: Iterable<bigint>): { count: number; lastDigit: bigint } {
  let count = 0
  let sum = 0n
  for (const n of numbers) {
    count++
    sum = (sum + n) % 10n
  }
  return { count, lastDigit: sum }
}
