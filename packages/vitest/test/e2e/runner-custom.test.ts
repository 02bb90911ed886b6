import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

// A project that sets `test.runner` keeps its runner: made with `withMemgate`, it measures; made without, a
// limited test fails saying how to make it, rather than pass unmeasured.
let own: FixtureRun
let plain: FixtureRun
beforeAll(async () => {
  own = await runFixture('custom-runner')
  plain = await runFixture('custom-runner', { config: 'vitest.plain.config.ts' })
})

describe('a runner of its own made with withMemgate()', () => {
  test('measures the body: over the limit fails with the figures, within passes', () => {
    const over = testNamed(own, 'holds 16 MB against a 4 MB limit')
    expect(over.state).toBe('failed')
    expect(over.errors[0]?.name).toBe('MemoryLimitError')
    expect(over.errors[0]?.message).toMatch(/limited to 4 MB of peak memory but reached 1\d(\.\d)? MB/)
    expect(testNamed(own, 'holds little against a 4 MB limit').state).toBe('passed')
    expect(testNamed(own, 'has no limit').state).toBe('passed')
  })

  test("keeps the project's runTask as the body it measures", () => {
    for (const test of own.tests) expect(test.meta, test.name).toMatchObject({ ownRunTask: true })
    expect(testNamed(own, 'holds little against a 4 MB limit').meta.memgateResult).toBeDefined()
  })
})

describe('a runner of its own made without it', () => {
  test('fails each limited test with RunnerNotMemgateError, naming the runner and the fix', () => {
    for (const name of ['holds 16 MB against a 4 MB limit', 'holds little against a 4 MB limit']) {
      const { state, errors } = testNamed(plain, name)
      expect(state, name).toBe('failed')
      expect(errors[0]).toMatchObject({ name: 'RunnerNotMemgateError', code: 'MEMGATE_RUNNER_NOT_MEMGATE' })
      expect(errors[0]?.message).toContain('plain-runner.ts')
      expect(errors[0]?.message).toContain('export default withMemgate(MyRunner)')
    }
  })

  test('leaves tests without a limit alone', () => {
    expect(testNamed(plain, 'has no limit').state).toBe('passed')
  })
})
