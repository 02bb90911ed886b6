import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { TaskMeta } from 'vitest'
import { createVitest } from 'vitest/node'

export interface FixtureTest {
  name: string
  state: 'passed' | 'failed' | 'skipped' | 'pending'
  errors: { name: string; message: string; code?: string }[]
  meta: TaskMeta
}

export interface FixtureRun {
  tests: FixtureTest[]
  /** Errors of the test modules themselves (collection failures). */
  moduleErrors: string[]
  /** Everything Vitest printed (the fixture runs with a silent reporter). */
  output: string
}

/** Runs real Vitest on `test/fixtures/<name>` with its own `vitest.config.ts`, which loads the built plugin (dist). */
export async function runFixture(name: string, options: { pool?: string } = {}): Promise<FixtureRun> {
  const root = fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url))
  let output = ''
  const sink = new Writable({
    write(chunk, _encoding, done) {
      output += chunk
      done()
    },
  })
  const exitCode = process.exitCode
  const vitest = await createVitest(
    'test',
    {
      root,
      config: `${root}vitest.config.ts`,
      watch: false,
      cache: false,
      reporters: [{}],
      ...(options.pool ? { pool: options.pool } : {}),
    },
    {},
    { stdout: sink, stderr: sink },
  )
  try {
    const { testModules } = await vitest.start()
    const tests: FixtureTest[] = []
    const moduleErrors: string[] = []
    for (const module of testModules) {
      moduleErrors.push(...module.errors().map((error) => error.message))
      for (const test of module.children.allTests()) {
        const result = test.result()
        tests.push({
          name: test.fullName,
          state: result.state,
          errors: (result.errors ?? []).map(({ name = 'Error', message, code }) => ({
            name,
            message,
            ...(typeof code === 'string' ? { code } : {}),
          })),
          meta: test.meta(),
        })
      }
    }
    return { tests, moduleErrors, output }
  } finally {
    await vitest.close()
    process.exitCode = exitCode
  }
}

/** The one test of that full name; fails the calling test if there is none. */
export function testNamed(run: FixtureRun, name: string): FixtureTest {
  const test = run.tests.find((candidate) => candidate.name === name)
  if (!test) throw new Error(`No test "${name}" in: ${run.tests.map((t) => t.name).join(', ')}`)
  return test
}
