import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

let run: FixtureRun
beforeAll(async () => {
  run = await runFixture('concurrent')
})

describe('a concurrent test with a limit', () => {
  test('fails without running, saying why and what to do', () => {
    const { state, errors } = testNamed(run, 'concurrent with a limit')
    expect(state).toBe('failed')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ name: 'ConcurrentLimitError', code: 'MEMGATE_CONCURRENT_LIMIT' })
    expect(errors[0]?.message).toContain('Concurrent tests share one heap')
    expect(errors[0]?.message).toContain('Run it sequentially')
    expect(testNamed(run, 'no limited body ran').state).toBe('passed')
  })

  test('is refused when the concurrency comes from describe.concurrent', () => {
    const { state, errors } = testNamed(run, 'a concurrent suite > inherits concurrency and has a limit')
    expect(state).toBe('failed')
    expect(errors[0]?.code).toBe('MEMGATE_CONCURRENT_LIMIT')
  })

  test('does not concern concurrent tests without a limit', () => {
    expect(testNamed(run, 'a concurrent suite > has no limit').state).toBe('passed')
  })
})
