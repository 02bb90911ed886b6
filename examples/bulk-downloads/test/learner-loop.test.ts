// The learner's loop, end to end: in a scratch copy of the example whose exercise is solved in place
// (test/fixtures/solved/src/download/naive.ts over src/download/naive.ts), `pnpm exercise` passes, and so do
// the tests of `pnpm test` that use the naive downloader — the frozen copy still fails, the edited file counts
// as solved, and it still downloads the same files (and still stops at a 500, having no retries).
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
    'downloading 20 videos from the 8 MB catalogue holds at most 10 MB at once',
    'passed',
  ])
  expect(run.tests.filter((t) => t.state !== 'passed')).toEqual([])
})

test('and the tests about the exercise stay green: it still fails as shipped, and counts as solved', async () => {
  const run = await runVitest(root, {
    inline: {
      include: [
        'test/naive-fails.test.ts',
        'test/exercise-state.test.ts',
        'test/download-fixed.test.ts',
        'test/download-faults.test.ts',
      ],
    },
  })
  expect(run.moduleErrors).toEqual([])
  expect(run.tests.length).toBeGreaterThan(10)
  expect(run.tests.filter((t) => t.state !== 'passed').map((t) => t.name)).toEqual([])
})
