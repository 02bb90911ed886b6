// A gate that never fails proves nothing: the naive downloader as shipped must fail the memory test. It runs
// on a scratch copy of the example with the frozen copy of src/download/naive.ts (test/fixtures/unsolved/) in
// place, so a learner who fixes naive.ts in place keeps this test green.
import { runVitest } from '@memgate/test-utils'
import { afterAll, expect, test } from 'vitest'
import { EXERCISE_ENV, UNSOLVED } from './exercise.js'
import { removeScratch, scratchCopy } from './scratch.js'

const root = scratchCopy(UNSOLVED)
afterAll(() => removeScratch(root))

test('the naive downloader fails the memory test with memgate’s message, by a wide margin', async () => {
  const run = await runVitest(root, {
    env: EXERCISE_ENV,
    inline: { include: ['test/download-memory.test.ts'] },
  })
  expect(run.moduleErrors).toEqual([])
  expect(run.tests).toHaveLength(1)
  const [result] = run.tests
  expect(result?.state).toBe('failed')
  expect(result?.errors[0]?.name).toBe('MemoryLimitError')
  const message = result?.errors[0]?.message ?? ''
  expect(message).toMatch(/^Test was limited to 10 MB of peak memory but reached \d+(\.\d)? MB \(JS heap /)
  // Among the top allocation sites, with megabytes: the naive job itself (the catalogue read as text and
  // parsed whole), beside the Buffers of the files it holds whole (external memory, by their own site).
  const sites = message.slice(message.indexOf('Top allocation sites'))
  expect(sites).toMatch(/^Top allocation sites[^\n]*:\n/)
  expect(sites).toMatch(/\n +[\d.]+ MB {2}downloadNaive \(\S*naive\.ts:\d+\)\n/)
  // More than twice the limit: the catalogue alone, as text and parsed, is over 20 MB.
  expect(result?.meta.memgateResult?.peak).toBeGreaterThan(20e6)
})
