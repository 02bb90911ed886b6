import { getHeapCodeStatistics, setFlagsFromString } from 'node:v8'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { measure } from '../../src/index.js'
import { holdBytecode } from '../../src/v8/code-flushing.js'
import { collectAllGarbage } from '../../src/v8/gc.js'

// V8's stress mode flushes the bytecode of every function not running at a full GC, where it would otherwise
// wait for a few GCs: what a span after a leak diagnosis met now and then, made to happen at once.
beforeEach(() => setFlagsFromString('--stress-flush-code'))
afterEach(() => setFlagsFromString('--no-stress-flush-code'))

function codeBytes(): number {
  const code = getHeapCodeStatistics()
  return code.code_and_metadata_size + code.bytecode_and_metadata_size
}

/** Functions kept alive, so that their code goes only by a flush. */
const kept: ((o: object) => number)[] = []

/** Bytecode V8 may flush: 200 new functions, kept, each run once and then cold. */
function runFreshFunctions(tag: string): void {
  for (let f = 0; f < 200; f++) {
    const body = Array.from({ length: 30 }, (_, i) => `s += o.p${i} | 0`).join('\n')
    const fn = new Function('o', `let s = 0\n${body}\nreturn s + ${f} // ${tag}`) as (o: object) => number
    fn({})
    kept.push(fn)
  }
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

test('while bytecode is held, a full GC flushes none; released, V8 flushes it again', () => {
  const release = holdBytecode()
  let held: number
  try {
    held = codeFlushedByGc('held')
  } finally {
    release()
  }
  const released = codeFlushedByGc('released')
  // A GC drops ~26 kB of this code either way: each \`new Function\`'s compiled script, which only V8's
  // compilation cache holds. A flush takes the functions' own bytecode: over 100 kB more.
  expect(released - held).toBeGreaterThan(100_000)
})

test("a measurement's span flushes no bytecode, and V8 flushes again once it ends", async () => {
  let inSpan = Number.NaN
  await measure(() => {
    inSpan = codeFlushedByGc('span')
  })
  const after = codeFlushedByGc('after')
  expect(after - inSpan).toBeGreaterThan(100_000)
})
