import { expect, test } from 'vitest'
import { runFixture, testNamed } from './run-fixture.js'

// A file of its own, so a process of its own: V8's flags are the process's, and the fixture's threads run in
// this one. After a run whose threads pinned themselves in place (pools-supported), no thread started here
// could grow its new space any more.
test('the threads pool can be left as Vitest starts it', async () => {
  const run = await runFixture('pools', { pool: 'threads', config: 'vitest.unpinned.config.ts' })
  expect(testNamed(run, 'over its limit').errors[0]?.name).toBe('MemoryLimitError')
  const { maxYoungGenerationSizeMb, newSpaceSizes = [] } = testNamed(run, 'reports its execArgv').meta as {
    maxYoungGenerationSizeMb?: number
    newSpaceSizes?: number[]
  }
  expect(maxYoungGenerationSizeMb).not.toBe(3)
  // Garbage with survivors grows an unpinned new space, and it stays grown (pools-supported: a pinned one
  // stays at 2 MB).
  const sorted = [...newSpaceSizes].sort((a, b) => a - b)
  expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(4 * 2 ** 20)
})
