// The learner's side of `pnpm test`: the exercise is either as shipped (the frozen copy that
// exercise-fails.test.ts proves fails) or solved — `pnpm exercise` passes on it. In CI it is as shipped, so
// an exercise changed without its frozen copy fails here; for a learner, this test says "solved" or
// "not yet".
import { runVitest } from '@memgate/test-utils'
import { expect, test } from 'vitest'
import { EXERCISE_ENV, EXERCISE_SUITE, UNSOLVED } from './exercise.js'
import { changedFiles, exampleRoot } from './scratch.js'

test('the exercise is as shipped, or solved: `pnpm exercise` passes on it', async () => {
  const changed = changedFiles(UNSOLVED)
  if (changed.length === 0) return
  const run = await runVitest(exampleRoot, { env: EXERCISE_ENV, inline: { include: EXERCISE_SUITE } })
  const failing = run.tests.filter((t) => t.state !== 'passed').map((t) => t.name)
  expect(run.moduleErrors).toEqual([])
  expect(run.tests.length).toBeGreaterThan(0)
  expect(
    failing,
    `${changed.join(', ')} changed, and not solved yet: run \`pnpm exercise\` to see why`,
  ).toEqual([])
})
