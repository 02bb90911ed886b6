import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

let run: FixtureRun
beforeAll(async () => {
  run = await runFixture('edge')
})

describe('the measured body', () => {
  test('of an expected failure is measured but not held to its limit', () => {
    const { state, meta } = testNamed(run, 'expected to fail, over its limit')
    expect(state).toBe('passed')
    expect(meta.memgateResult?.peak).toBeGreaterThan(10_000_000)
  })

  test('that fails on its own reports only its own error', () => {
    const { state, errors } = testNamed(run, 'fails its own assertion, over its limit')
    expect(state).toBe('failed')
    expect(errors.map((error) => error.name)).toEqual(['AssertionError'])
  })

  test('that times out is stopped, and the next test is measured', () => {
    expect(testNamed(run, 'times out').errors[0]?.message).toMatch(/^Test timed out in 200ms/)
    expect(testNamed(run, 'times out').meta.memgateResult).toBeDefined()
    expect(testNamed(run, 'measured after a timed-out test')).toMatchObject({ state: 'passed', errors: [] })
  })

  test('is wrapped once per attempt on retry', () => {
    expect(testNamed(run, 'passes on retry').state).toBe('passed')
    expect(testNamed(run, 'was retried once').state).toBe('passed')
  })

  test('is held to its limit on repeats', () => {
    expect(testNamed(run, 'repeats over its limit').errors[0]?.name).toBe('MemoryLimitError')
  })

  test('is measured when the test fakes timers', () => {
    expect(testNamed(run, 'fakes timers in its body, over its limit').errors[0]?.name).toBe(
      'MemoryLimitError',
    )
    const { errors } = testNamed(run, 'with fake timers from beforeEach > over its limit')
    expect(errors.map((error) => error.name)).toEqual(['MemoryLimitError'])
    expect(testNamed(run, 'with fake timers from beforeEach > within its limit').state).toBe('passed')
  })
})
