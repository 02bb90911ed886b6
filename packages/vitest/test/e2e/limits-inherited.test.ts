import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

let run: FixtureRun
beforeAll(async () => {
  run = await runFixture('inherit')
})

describe('a limit on a describe block', () => {
  test('holds every test inside it', () => {
    const { state, errors, meta } = testNamed(run, 'a suite limited to 5 MB > inherits the limit')
    expect(state).toBe('failed')
    expect(errors[0]?.message).toMatch(/^Test was limited to 5 MB of peak memory but reached [\d.]+ MB/)
    expect(meta.memgateResult?.limits).toEqual({ peak: 5_000_000 })
  })

  test("gives way to a test's own limit", () => {
    const { state, meta } = testNamed(run, 'a suite limited to 5 MB > raises it for itself')
    expect(state).toBe('passed')
    expect(meta.memgateResult?.limits).toEqual({ peak: 50_000_000 })
  })

  test("gives way to a nested describe block's limit", () => {
    const { state, meta } = testNamed(
      run,
      'a suite limited to 5 MB > a nested suite limited to 60 MB > inherits the nested limit',
    )
    expect(state).toBe('passed')
    expect(meta.memgateResult?.limits).toEqual({ peak: 60_000_000 })
  })

  test("combines with a test's own limits kind by kind: the nearest of each kind holds", () => {
    const { state, errors, meta } = testNamed(
      run,
      'a suite limited to 5 MB > keeps it beside its own leak limit',
    )
    expect(state).toBe('failed')
    expect(errors.map((error) => error.name)).toEqual(['MemoryLimitError'])
    expect(errors[0]?.message).toMatch(/^Test was limited to 5 MB of peak memory but reached [\d.]+ MB/)
    expect(meta.memgateResult?.limits).toEqual({ peak: 5_000_000, leaks: 1_000_000 })
  })

  test('combines the kinds of nested describe blocks', () => {
    const inner = 'a suite limited to 5 MB > a nested suite limited to 2 MB of leaks'
    const both = testNamed(
      run,
      `${inner} > takes its peak limit from one block and its leak limit from the other`,
    )
    expect(both.state).toBe('passed')
    expect(both.meta.memgateResult?.limits).toEqual({ peak: 5_000_000, leaks: 2_000_000 })
    const raised = testNamed(run, `${inner} > raises the peak limit for itself, keeping the leak limit`)
    expect(raised.state).toBe('passed')
    expect(raised.meta.memgateResult?.limits).toEqual({ peak: 50_000_000, leaks: 2_000_000 })
  })
})
