import { getHeapCodeStatistics, setFlagsFromString } from 'node:v8'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { measure, startPeakTracking } from '../../src/index.js'
import { collectAllGarbage } from '../../src/v8/gc.js'

// Each test file of this tier runs in a process of its own (the forks pool): V8's flags are the process's.
// V8's stress mode flushes the bytecode of every function not running at a full GC, where it would otherwise
// wait for a few GCs: what a span after a leak diagnosis met now and then, made to happen at once. Each test
// starts as a process memgate has not measured in: flushing on.
// Feedback allocated lazily, as V8 does by default.
beforeEach(() => setFlagsFromString('--flush-bytecode --stress-flush-code --lazy-feedback-allocation'))
afterEach(() => setFlagsFromString('--no-stress-flush-code'))

function codeBytes(): number {
  const code = getHeapCodeStatistics()
  return code.code_and_metadata_size + code.bytecode_and_metadata_size
}

type Fresh = (o: object) => number

/** Functions kept alive, so that their code goes only by a flush. */
const kept: Fresh[] = []

/** 200 new functions, kept, each run once: bytecode V8 may flush once they are cold. */
function runFreshFunctions(tag: string): Fresh[] {
  const made: Fresh[] = []
  for (let f = 0; f < 200; f++) {
    const body = Array.from({ length: 30 }, (_, i) => `s += o.p${i} | 0`).join('\n')
    const fn = new Function('o', `let s = 0\n${body}\nreturn s + ${f} // ${tag}`) as Fresh
    fn({})
    made.push(fn)
  }
  kept.push(...made)
  return made
}

/** How much V8's code shrank across a full GC once `runFreshFunctions` has run. */
function codeFlushedByGc(tag: string): number {
  // Code that died before (of compiles, of the runner) is not what this weighs.
  collectAllGarbage()
  runFreshFunctions(tag)
  const before = codeBytes()
  collectAllGarbage()
  return before - codeBytes()
}

// A GC drops ~26 kB of this code either way: each `new Function`'s compiled script, which only V8's
// compilation cache holds. A flush takes the functions' own bytecode too: over 100 kB more.
const FLUSHED = 100_000

test("inside a measurement's span V8 flushes no bytecode, nor after it", async () => {
  const before = codeFlushedByGc('before')
  let inSpan = Number.NaN
  await measure(() => {
    inSpan = codeFlushedByGc('span')
  })
  const after = codeFlushedByGc('after')
  expect(before - inSpan).toBeGreaterThan(FLUSHED)
  expect(before - after).toBeGreaterThan(FLUSHED)
})

test('a peak-only measurement stops flushing too', async () => {
  const before = codeFlushedByGc('before peak')
  await (await startPeakTracking()).stop()
  expect(before - codeFlushedByGc('after peak')).toBeGreaterThan(FLUSHED)
})

test('code that ran before a span and warms up inside it leaves no leak: its feedback, its tiered-up code', async () => {
  await measure(() => undefined)
  const functions = runFreshFunctions('warm')
  const { leaked } = await measure(() => {
    // The shape they saw before: a new one would grow their inline caches (V8's too, but no code: ~2.4 kB
    // a function here, not what this is about).
    for (const fn of functions) for (let i = 0; i < 30; i++) fn({})
  })
  // Feedback allocated lazily would come on the functions' ~8th run, inside the span: ~450 kB here. And on
  // Node 22 and 24 V8 compiles them with Sparkplug in the span, whose metadata beside the code (60–80 kB
  // here) the code statistics do not count and the code and trusted spaces do.
  expect(leaked).toBeLessThan(16 * 1024)
})
