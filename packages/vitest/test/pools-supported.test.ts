import { describe, expect, test } from 'vitest'
import { runFixture, testNamed } from './run-fixture.js'

describe.for([
  { pool: 'forks', pinned: true },
  { pool: 'vmForks', pinned: true },
  { pool: 'threads', pinned: false },
  { pool: 'vmThreads', pinned: false },
])('the $pool pool', ({ pool, pinned }) => {
  test(`enforces limits${pinned ? ' with a pinned young generation' : ''}`, async () => {
    const run = await runFixture('pools', { pool })
    expect(testNamed(run, 'within its limit').state).toBe('passed')
    expect(testNamed(run, 'over its limit').errors[0]?.name).toBe('MemoryLimitError')
    const { execArgv } = testNamed(run, 'reports its execArgv').meta as { execArgv?: string[] }
    expect(execArgv?.includes('--max-semi-space-size=1')).toBe(pinned)
  })
})
