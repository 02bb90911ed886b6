// Run the exercise under memgate to see where its memory goes (from examples/fibonacci):
//   pnpm exec memgate run src/exercise/main.ts 20000
//   pnpm exec memgate flamegraph memgate-main.<pid>.json
import { summarize } from '../summarize.js'
import { fibonacci } from './fibonacci.js'

const length = Number(process.argv[2] ?? 20_000)
const { count, lastDigit } = summarize(fibonacci(length))
console.log(`${count} Fibonacci numbers; the last digit of their sum is ${lastDigit}`)
