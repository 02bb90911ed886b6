import { setFlagsFromString } from 'node:v8'
import { expect, test } from 'vitest'
import { finishCompilation } from '../../src/v8/compilation.js'
import { collectGarbage } from '../../src/v8/gc.js'

test('waiting for V8 compile jobs still works after V8 flushed the bytecode of the function that asks', () => {
  finishCompilation()
  // Flushes the bytecode of every function not running at a GC (V8 does it to old code on its own).
  setFlagsFromString('--stress-flush-code')
  try {
    collectGarbage()
    expect(() => finishCompilation()).not.toThrow()
  } finally {
    setFlagsFromString('--no-stress-flush-code')
  }
})
