// One run of the overhead benchmark (bench/tinybench-overhead.bench.ts starts it): four tasks timed by
// tinybench, in a plain Bench or in one withMemory() adds memory to, as argv[2] says ('plain' or 'memory').
// Prints each task's median throughput as one JSON line.
import { Bench } from 'tinybench'
import { withMemory } from '../src/tinybench.js'
import { makeCatalogue } from '../test/cases/workloads.js'

const variant = process.argv[2]
const catalogue = makeCatalogue()
let sink: unknown

const tasks: Record<string, () => void> = {
  'sum of 1,000 numbers (no allocation)': () => {
    let total = 0
    for (let i = 0; i < 1000; i++) total += i
    sink = total
  },
  'new Array(16).fill(0.5)': () => {
    sink = new Array(16).fill(0.5)
  },
  'new Array(2400).fill(0.5)': () => {
    sink = new Array(2400).fill(0.5)
  },
  'JSON round trip of a 3,000-item catalogue': () => {
    sink = JSON.parse(JSON.stringify(catalogue))
  },
}

const plain = new Bench({ time: 300 })
const bench = variant === 'memory' ? withMemory(plain) : plain
for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn)
await bench.run()
const result: Record<string, number> = {}
for (const task of bench.tasks) {
  const r = task.result
  if (r.state === 'completed') result[task.name] = r.throughput.p50
}
console.log(JSON.stringify(result))
void sink
