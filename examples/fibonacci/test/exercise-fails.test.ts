// A gate that never fails proves nothing: the exercise as shipped must fail its memory test. It runs on a
// scratch copy of the example with the frozen copy of the exercise (test/fixtures/unsolved/) in place, so a
// learner who solves the exercise in src/exercise/ keeps this test green.
import { runVitest } from '@memgate/test-utils'
import { afterAll, expect, test } from 'vitest'
import { EXERCISE_ENV, UNSOLVED } from './exercise.js'
import { removeScratch, scratchCopy } from './scratch.js'

const root = scratchCopy(UNSOLVED)
afterAll(() => removeScratch(root))

test('the unsolved exercise fails its memory test with memgate’s message', async () => {
  const run = await runVitest(root, {
    env: EXERCISE_ENV,
    inline: { include: ['test/exercise-memory.test.ts'] },
  })
  expect(run.moduleErrors).toEqual([])
  expect(run.tests).toHaveLength(1)
  const [result] = run.tests
  expect(result?.state).toBe('failed')
  expect(result?.errors[0]?.name).toBe('MemoryLimitError')
  const message = result?.errors[0]?.message ?? ''
  expect(message).toMatch(/^Test was limited to 8 MB of peak memory but reached \d+(\.\d)? MB \(JS heap /)
  // The exercise's own function, the one that keeps every number, is among the top sites with megabytes.
  // `summarize` allocates about as much (its temporary sums, freed at once): the workshop's lesson is that
  // allocating is not holding, so which of the two comes first is left to the sampling.
  const sites = message.slice(message.indexOf('Top allocation sites'))
  expect(sites).toMatch(/^Top allocation sites/)
  expect(sites).toMatch(/\n +[\d.]+ MB {2}fibonacci \(\S*exercise\/fibonacci\.ts:\d+\)/)
  expect(sites).toMatch(/\n +[\d.]+ MB {2}summarize \(\S*summarize\.ts:\d+\)/)
  expect(result?.meta.memgateResult?.peak).toBeGreaterThan(15e6)
})
