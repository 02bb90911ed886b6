import { Bench } from 'tinybench'
import { expect, test } from 'vitest'
import { BenchSetupError, withMemory } from '../../src/tinybench.js'

test('withMemory() on a bench that has tasks already is refused, saying to call it first', () => {
  const bench = new Bench().add('parse', () => JSON.parse('{}'))
  expect(() => withMemory(bench)).toThrow(BenchSetupError)
  expect(() => withMemory(new Bench().add('parse', () => 1))).toThrow(
    /called after tasks were added \("parse"\).*const bench = withMemory\(new Bench\(…\)\)/,
  )
})

test('runSync() cannot measure, and says to await run()', () => {
  const bench = withMemory(new Bench()).add('parse', () => 1)
  expect(() => bench.runSync()).toThrow(/needs `await bench.run\(\)`/)
})

test('a limit it cannot read fails when the task is added, naming the task', () => {
  const bench = withMemory(new Bench())
  expect(() => bench.add('parse', () => 1, { memory: { peak: 'ten MB' } })).toThrow(
    /bench\.add\("parse", fn, \{ memory: \{ peak \} \}\): Invalid memory size "ten MB"/,
  )
  expect(bench.tasks).toHaveLength(0)
})
