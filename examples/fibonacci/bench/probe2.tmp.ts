import { measure } from '@memgate/core'
import { CachingFibonacciIterator } from '../src/iterators/caching.js'
const keep: { it?: unknown } = {}
const walk = (n: number) => () => { const it = new CachingFibonacciIterator(); keep.it = it; let v = 0n; for (let i = 0; i < n; i++) v = it.next().value; return v }
for (const n of [10_000, 10_000, 40_000]) { const m = await measure(walk(n)); console.log(n, { peak: m.peak, alloc: m.allocated, leaked: m.leaked }) }
