import { fileURLToPath } from 'node:url'
import { runVitest } from '@memgate/test-utils'
import { expect, test } from 'vitest'
import { YOUNG_GENERATION_FLAGS } from '../../src/index.js'

const root = fileURLToPath(new URL('../fixtures/pools/', import.meta.url))

/** Runs a test file of the fixture project with real Vitest in `pool`, measuring as the plugin does. */
function runFixture(pool: 'forks' | 'threads' | 'vmThreads' | 'vmForks', file = 'measure.test.ts') {
  const childProcess = pool === 'forks' || pool === 'vmForks'
  return runVitest(root, {
    config: false,
    pool,
    inline: { include: [file], execArgv: childProcess ? [...YOUNG_GENERATION_FLAGS] : [] },
  })
}

test.for(['forks', 'threads', 'vmThreads', 'vmForks'] as const)(
  'measure() works in the %s pool without --expose-gc',
  async (pool) => {
    const { tests, moduleErrors, output } = await runFixture(pool)
    expect(moduleErrors, output).toEqual([])
    expect(tests.map(({ name, state, errors }) => ({ name, state, errors }))).toEqual([
      { name: 'measures held Buffers', state: 'passed', errors: [] },
      { name: 'paces Buffer garbage while streaming', state: 'passed', errors: [] },
    ])
  },
)

test.for(['forks', 'threads', 'vmThreads', 'vmForks'] as const)(
  'old-generation garbage is paced in the %s pool, and pacing leaves no leak behind',
  async (pool) => {
    const { tests, moduleErrors, output } = await runFixture(pool, 'pacing.test.ts')
    expect(moduleErrors, output).toEqual([])
    // The figures each fixture test saw, so a failure shows them.
    const seen = tests.map(({ name, state, errors, meta }) => ({
      name,
      state,
      errors,
      figures: meta.figures,
    }))
    expect(
      tests.map(({ name, state, errors }) => ({ name, state, errors })),
      JSON.stringify(seen),
    ).toEqual([
      { name: 'reports no leak for code that keeps nothing, on its first run', state: 'passed', errors: [] },
      { name: 'paces the old-generation garbage of JSON round trips', state: 'passed', errors: [] },
    ])
    // The threads pools run the tests in worker threads: the path this case is about.
    expect(tests[0]?.meta.figures?.isMainThread).toBe(pool === 'forks' || pool === 'vmForks')
  },
)

declare module 'vitest' {
  interface TaskMeta {
    /** What a fixture test of pacing.test.ts saw, for the failure message. */
    figures?: Record<string, unknown>
  }
}
