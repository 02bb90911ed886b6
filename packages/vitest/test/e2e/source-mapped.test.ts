import { beforeAll, describe, expect, test } from 'vitest'
import { decodeMappings, mapFrame, originalPosition } from '../../src/runtime/source-map.js'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

let run: FixtureRun
beforeAll(async () => {
  run = await runFixture('source-map')
})

describe('allocation sites in TypeScript', () => {
  test('name the lines of the source file, not of the code Vitest ran', () => {
    const { errors, meta } = testNamed(run, 'over its limit')
    expect(errors[0]?.name).toBe('MemoryLimitError')
    // typed.test.ts: `function buildTable` starts on line 19, the test's function on line 27 (V8's sampling
    // profiler records where a function starts, not the allocating line).
    expect(errors[0]?.message).toMatch(
      /\n +[\d.]+ MB {2}buildTable \(\S*typed\.test\.ts:19\)\n +called from \(anonymous\) \(\S*typed\.test\.ts:27\)/,
    )
    expect(meta.memgateResult?.topSite).toMatchObject({ functionName: 'buildTable', line: 19 })
  })
})

describe('the source map decoder', () => {
  test('reads segments, relative fields, negative and multi-digit values', () => {
    expect(decodeMappings('AAAA,MAAM;IACD;;gBAAA')).toEqual([
      [
        [0, 0, 0, 0],
        [6, 0, 0, 6],
      ],
      [[4, 0, 1, 5]],
      [],
      [[16, 0, 1, 5]],
    ])
  })

  test('finds the segment at or before a column, else the first of the line', () => {
    const lines = decodeMappings('AAAA,MAAM;IACD')
    expect(originalPosition(lines, 0, 7)).toEqual({ source: 0, line: 0, column: 6 })
    expect(originalPosition(lines, 0, 5)).toEqual({ source: 0, line: 0, column: 0 })
    expect(originalPosition(lines, 1, 0)).toEqual({ source: 0, line: 1, column: 5 })
    expect(originalPosition(lines, 2, 0)).toBeUndefined()
  })

  test('leaves a frame of a module without a map as it is', () => {
    const frame = { functionName: 'f', url: '/nowhere/plain.js', line: 3, column: 5 }
    expect(mapFrame(frame)).toBe(frame)
  })
})
