import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { BaselineError } from '../../src/errors.js'
import { formatBaseline, parseBaseline, readBaseline } from '../../src/node/baseline.js'

const FILE = 'memgate.baseline.json'
const FIX =
  'Fix it by hand (a normal run never overwrites it), or delete it and write a new one with MEMGATE_UPDATE=1 vitest run.'

const VALID = `{
  "version": 1,
  "about": "anything",
  "tests": {
    "gate.test.ts > holds 10 MB": { "peak": 10000000, "leaked": 0 },
    "|unit| gate.test.ts > leaks": { "leaked": 2048 },
    "gate.test.ts > holds a little": { "peak": 50000 }
  }
}
`

const BROKEN = `{
  "version": 1,
  "tests": {
    "gate.test.ts > holds 10 MB": { "peak": 10000000, "leaked": 0 },
    "gate.test.ts > holds a little": { "peak": 50000 "leaked": 0 }
  }
}
`

/** The error parseBaseline throws for `text` (fails the test if it throws none). */
function errorOf(text: string): BaselineError {
  try {
    parseBaseline(text, FILE)
  } catch (error) {
    expect(error).toBeInstanceOf(BaselineError)
    return error as BaselineError
  }
  throw new Error('parseBaseline accepted the text')
}

describe('parseBaseline', () => {
  test('reads each test entry, in bytes, and drops other top-level keys', () => {
    expect(parseBaseline(VALID, FILE)).toEqual({
      version: 1,
      tests: {
        'gate.test.ts > holds 10 MB': { peak: 10_000_000, leaked: 0 },
        '|unit| gate.test.ts > leaks': { leaked: 2048 },
        'gate.test.ts > holds a little': { peak: 50_000 },
      },
    })
    expect(parseBaseline('{ "version": 1, "tests": {} }', FILE)).toEqual({ version: 1, tests: {} })
  })

  test('reads back what formatBaseline writes, which sorts the ids and puts one test on a line', () => {
    const tests = { 'b.test.ts > second': { peak: 2, leaked: 3 }, 'a.test.ts > first': { leaked: 1 } }
    const text = formatBaseline(tests)
    expect(text).toBe(
      [
        '{',
        '  "version": 1,',
        '  "about": "memgate baseline: peak and leaked bytes of each measured test. Written by MEMGATE_UPDATE=1 vitest run; review it like code.",',
        '  "tests": {',
        '    "a.test.ts > first": { "leaked": 1 },',
        '    "b.test.ts > second": { "peak": 2, "leaked": 3 }',
        '  }',
        '}',
        '',
      ].join('\n'),
    )
    expect(parseBaseline(text, FILE)).toEqual({ version: 1, tests })
    expect(parseBaseline(formatBaseline({}), FILE)).toEqual({ version: 1, tests: {} })
  })

  test('text that is not JSON: the error names the file, line and column, and quotes the line', () => {
    const error = errorOf(BROKEN)
    expect(error.code).toBe('MEMGATE_BAD_BASELINE')
    expect(error.file).toBe(FILE)
    expect([error.line, error.column]).toEqual([5, 54])
    // The reason in brackets is V8's own wording.
    expect(error.message).toMatch(
      /^memgate: cannot read the baseline memgate\.baseline\.json:5:54: not valid JSON \(.+\)\.\n/,
    )
    expect(
      error.message.endsWith(
        `\n\n  5 | "gate.test.ts > holds a little": { "peak": 50000 "leaked": 0 }\n\n${FIX}`,
      ),
    ).toBe(true)
  })

  test('text cut short points past its last character', () => {
    const error = errorOf('{\n  "version": 1,\n  "tests": {')
    expect([error.line, error.column]).toEqual([3, 13])
  })

  test.for([
    ['[]', 1, 1, 'expected an object with "version" and "tests"'],
    ['{ "tests": {} }', 1, 1, '"version" is undefined, and this memgate reads version 1'],
    [
      BROKEN.replace('"version": 1', '"version": 7').replace('50000 "leaked"', '50000, "leaked"'),
      2,
      3,
      '"version" is 7, and this memgate reads version 1',
    ],
    ['{ "version": 1,\n  "tests": [] }', 2, 3, '"tests" must be an object of test ids'],
    [
      BROKEN.replace('50000 "leaked"', '"50 kB", "leaked"'),
      5,
      5,
      'test "gate.test.ts > holds a little": "peak" must be a whole number of bytes, got "50 kB"',
    ],
    [
      '{ "version": 1, "tests": {\n "a > b": { "leaked": -1 } } }',
      2,
      2,
      'test "a > b": "leaked" must be a whole number of bytes, got -1',
    ],
    [
      '{ "version": 1, "tests": {\n "a > b": { "peak": 1.5 } } }',
      2,
      2,
      'test "a > b": "peak" must be a whole number of bytes, got 1.5',
    ],
    [
      '{ "version": 1, "tests": {\n "a > b": {} } }',
      2,
      2,
      'test "a > b": expected { "peak": <bytes>, "leaked": <bytes> } (either or both)',
    ],
    [
      '{ "version": 1, "tests": {\n "a > b": 5 } }',
      2,
      2,
      'test "a > b": expected { "peak": <bytes>, "leaked": <bytes> } (either or both)',
    ],
    [
      '{ "version": 1, "tests": {\n "a > b": { "peak": 1, "peek": 2 } } }',
      2,
      2,
      'test "a > b": unknown field "peek" (the fields are peak and leaked)',
    ],
  ] as const)('wrong shape: %j fails at %d:%d', ([text, line, column, reason]) => {
    const error = errorOf(text)
    expect(error.code).toBe('MEMGATE_BAD_BASELINE')
    expect([error.line, error.column]).toEqual([line, column])
    const quoted = text.split('\n')[line - 1]?.trim()
    expect(error.message).toBe(
      `memgate: cannot read the baseline ${FILE}:${line}:${column}: ${reason}.\n\n  ${line} | ${quoted}\n\n${FIX}`,
    )
  })
})

describe('readBaseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memgate-baseline-unit-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('is undefined for a missing file, and names the file as given in errors', () => {
    expect(readBaseline(join(dir, 'none.json'), 'none.json')).toBeUndefined()
    writeFileSync(join(dir, 'bad.json'), '{ "version": 2, "tests": {} }')
    expect(() => readBaseline(join(dir, 'bad.json'), 'shown/bad.json')).toThrow(
      'memgate: cannot read the baseline shown/bad.json:1:3: "version" is 2',
    )
    writeFileSync(join(dir, 'good.json'), VALID)
    expect(readBaseline(join(dir, 'good.json'), 'good.json')?.tests['|unit| gate.test.ts > leaks']).toEqual({
      leaked: 2048,
    })
  })

  test('a folder where the file should be is an error naming the file, not "no baseline"', () => {
    expect(() => readBaseline(dir, 'memgate.baseline.json')).toThrow(
      /^memgate: cannot read the baseline memgate\.baseline\.json: EISDIR/,
    )
  })
})
