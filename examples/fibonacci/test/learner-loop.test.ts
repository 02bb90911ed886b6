// The learner's loop, end to end: in a scratch copy of the example whose exercise is solved in place (the
// sample solution copied over src/exercise/fibonacci.ts), `pnpm exercise` passes, and so do the tests of
// `pnpm test` that look at the exercise — the frozen copy still fails, the edited file counts as solved.
import { runVitest } from '@memgate/test-utils'
import { afterAll, expect, test } from 'vitest'
import { EXERCISE_ENV, EXERCISE_SUITE, SOLVED } from './exercise.js'
import { removeScratch, scratchCopy } from './scratch.js'

const root = scratchCopy(SOLVED)
afterAll(() => removeScratch(root))

test('with the exercise solved in place, `pnpm exercise` passes', async () => {
  const run = await runVitest(root, { env: EXERCISE_ENV, inline: { include: EXERCISE_SUITE } })
  expect(run.moduleErrors).toEqual([])
  expect(run.tests.map((t) => [t.name, t.state])).toContainEqual([
    'summing the first 20,000 Fibonacci numbers stays under 8 MB',
    'passed',
  ])
  expect(run.tests.filter((t) => t.state !== 'passed')).toEqual([])
})

test('and the tests about the exercise stay green: it still fails as shipped, and counts as solved', async () => {
  const run = await runVitest(root, {
    inline: { include: ['test/exercise-fails.test.ts', 'test/exercise-state.test.ts'] },
  })
  expect(run.moduleErrors).toEqual([])
  expect(run.tests.map((t) => t.state)).toEqual(['passed', 'passed'])
})
