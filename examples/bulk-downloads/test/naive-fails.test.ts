import { runVitest } from '@memgate/test-utils'
import { expect, test } from 'vitest'
import { exampleRoot } from './helpers.js'

test('the naive downloader fails the memory test with memgate’s message, by a wide margin', async () => {
  const run = await runVitest(exampleRoot, {
    env: { DOWNLOADER: 'naive' },
    inline: { include: ['test/download-memory.test.ts'] },
  })
  expect(run.moduleErrors).toEqual([])
  expect(run.tests).toHaveLength(1)
  const [result] = run.tests
  expect(result?.state).toBe('failed')
  expect(result?.errors[0]?.name).toBe('MemoryLimitError')
  const message = result?.errors[0]?.message ?? ''
  expect(message).toMatch(/^Test was limited to 10 MB of peak memory but reached \d+(\.\d)? MB \(JS heap /)
  // The top allocation site is the naive job itself: the catalogue read as text and parsed whole.
  expect(message).toMatch(/Top allocation sites[^\n]*:\n +[\d.]+ [kM]B {2}downloadNaive \(\S*naive\.ts:\d+\)/)
  // More than twice the limit: the catalogue alone, as text and parsed, is over 20 MB.
  expect(result?.meta.memgateResult?.peak).toBeGreaterThan(20e6)
})
