import { fileURLToPath } from 'node:url'
import { runVitest } from '@memgate/test-utils'
import { expect, test } from 'vitest'
import { YOUNG_GENERATION_FLAGS } from '../src/index.js'

const root = fileURLToPath(new URL('./fixtures/pools/', import.meta.url))

/** Runs the fixture project with real Vitest in `pool`, measuring in child processes as the plugin does. */
function runFixture(pool: 'forks' | 'threads' | 'vmThreads' | 'vmForks') {
  const childProcess = pool === 'forks' || pool === 'vmForks'
  return runVitest(root, {
    config: false,
    pool,
    inline: { include: ['measure.test.ts'], execArgv: childProcess ? [...YOUNG_GENERATION_FLAGS] : [] },
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
