// Run the exercise under memgate to see where its memory goes (from examples/fibonacci):
//   FIBONACCI=exercise pnpm exec memgate run src/main.ts 20000
//   pnpm exec memgate flamegraph memgate-main.<pid>.json
// Without FIBONACCI=exercise it runs the sample solution.
import { fibonacci } from './fibonacci.js'
import { summarize } from './summarize.js'

const length = Number(process.argv[2] ?? 20_000)
const { count, lastDigit } = summarize(fibonacci(length))
console.log(`${count} Fibonacci numbers; the last digit of their sum is ${lastDigit}`)
