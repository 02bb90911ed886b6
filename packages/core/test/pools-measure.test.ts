import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { createVitest } from 'vitest/node'
import { YOUNG_GENERATION_FLAGS } from '../src/index.js'

const root = fileURLToPath(new URL('./fixtures/pools/', import.meta.url))

/** Runs the fixture project with real Vitest in `pool` and returns each test's state and errors. */
async function runFixture(pool: 'forks' | 'threads' | 'vmThreads' | 'vmForks') {
  let output = ''
  const sink = new Writable({
    write(chunk, _encoding, done) {
      output += chunk
      done()
    },
  })
  const exitCode = process.exitCode
  const childProcess = pool === 'forks' || pool === 'vmForks'
  const vitest = await createVitest(
    'test',
    {
      root,
      config: false,
      watch: false,
      pool,
      include: ['measure.test.ts'],
      execArgv: childProcess ? [...YOUNG_GENERATION_FLAGS] : [],
      reporters: [{}],
      cache: false,
    },
    {},
    { stdout: sink, stderr: sink },
  )
  try {
    const { testModules, unhandledErrors } = await vitest.start()
    const tests = testModules.flatMap((module) =>
      [...module.children.allTests()].map((test) => ({
        name: test.name,
        state: test.result().state,
        errors: (test.result().errors ?? []).map((error) => error.message),
      })),
    )
    return { tests, unhandledErrors, output }
  } finally {
    await vitest.close()
    process.exitCode = exitCode
  }
}

test.for(['forks', 'threads', 'vmThreads', 'vmForks'] as const)(
  'measure() works in the %s pool without --expose-gc',
  async (pool) => {
    const { tests, unhandledErrors, output } = await runFixture(pool)
    expect(unhandledErrors, output).toEqual([])
    expect(tests).toEqual([
      { name: 'measures held Buffers', state: 'passed', errors: [] },
      { name: 'paces Buffer garbage while streaming', state: 'passed', errors: [] },
    ])
  },
)
