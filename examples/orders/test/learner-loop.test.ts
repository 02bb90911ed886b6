// The learner's loop, end to end: in a scratch copy of the example whose exercise is solved in place
// (test/fixtures/solved/src/leaky/variant.ts over src/leaky/variant.ts: the sample solution's sessions and
// caches, in the leaky variant), `pnpm exercise` passes, and so do the tests of `pnpm test` that use the leaky
// variant — the frozen copy still fails, the edited files count as solved, the routes still answer right.
// (The frozen and solved copies import from src/ as they will sit there: test/fixtures is not typechecked.)
import { runVitest } from '@memgate/test-utils'
import { afterAll, expect, test } from 'vitest'
import { EXERCISE_ENV, EXERCISE_SUITE, SOLVED } from './exercise.js'
import { removeScratch, scratchCopy } from './scratch.js'

const root = scratchCopy(SOLVED)
afterAll(() => removeScratch(root))

test('with the exercise solved in place, `pnpm exercise` passes', async () => {
  const run = await runVitest(root, { env: EXERCISE_ENV, inline: { include: EXERCISE_SUITE } })
  expect(run.moduleErrors).toEqual([])
  // With their messages: a failed leak check's says what it read.
  expect(run.tests.filter((t) => t.state !== 'passed').map((t) => [t.name, t.errors[0]?.message])).toEqual([])
  expect(run.tests.map((t) => [t.name, t.state])).toContainEqual([
    '2100 requests leave at most 128 kB behind',
    'passed',
  ])
})

test('and the tests about the exercise stay green: it still fails as shipped, and counts as solved', async () => {
  const run = await runVitest(root, {
    inline: {
      include: [
        'test/leaky-fails.test.ts',
        'test/exercise-state.test.ts',
        'test/gateway-variants.test.ts',
        'test/orders-routes.test.ts',
        'test/products-routes.test.ts',
        'test/main-cli.test.ts',
      ],
    },
  })
  expect(run.moduleErrors).toEqual([])
  expect(run.tests.length).toBeGreaterThan(20)
  expect(run.tests.filter((t) => t.state !== 'passed').map((t) => t.name)).toEqual([])
})
