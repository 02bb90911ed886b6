import { measure } from '@memgate/core'
import { withMemory } from '@memgate/core/tinybench'
import { Bench } from 'tinybench'
import { CachingFibonacciIterator } from '../src/iterators/caching.js'
const keep: { it?: unknown } = {}
const walk = (n: number) => () => { const it = new CachingFibonacciIterator(); keep.it = it; let v = 0n; for (let i = 0; i < n; i++) v = it.next().value; return v }
const where = (process.env.WHERE ?? 'child') as 'child' | 'this-process'
const b = withMemory(new Bench({ iterations: 2, time: 0, warmup: false }), { iterations: 1, warmup: 0, where })
b.add('c40k', walk(40_000)).add('c10k', walk(10_000)).add('c10kb', walk(10_000))
await b.run()
for (const t of b.tasks) { const m = t.result.state === 'completed' ? t.result.memory : undefined; console.log(t.name, m && { peak: m.peak, alloc: m.allocatedPerOp, ret: m.retained, where: m.measuredIn }) }

