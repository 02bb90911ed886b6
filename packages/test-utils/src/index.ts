import { Writable } from 'node:stream'
import type { TaskMeta } from 'vitest'
import { createVitest, type InlineConfig } from 'vitest/node'

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
  /** The class names of those errors, in the same order. */
  moduleErrorNames: string[]
  /** Everything Vitest printed (the fixture runs with a silent reporter). */
  output: string
}

export interface RunOptions {
  /** The config file to load, relative to `root`; `false` for none. Default `vitest.config.ts`. */
  config?: string | false
  pool?: InlineConfig['pool']
  /** Environment variables for the test workers (added to this process's). */
  env?: Record<string, string>
  /** Any other inline options (include, execArgv, …). */
  inline?: InlineConfig
}

/**
 * Runs real Vitest, as a user would, on the project in `root` (a folder path ending in `/`) and returns each
 * test's state, errors and meta. Nothing is printed: the output is captured and returned. The calling
 * process's exit code is left as it was.
 */
export async function runVitest(root: string, options: RunOptions = {}): Promise<FixtureRun> {
  const { config = 'vitest.config.ts', pool, env, inline = {} } = options
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
      config: config === false ? false : `${root}${config}`,
      watch: false,
      cache: false,
      reporters: [{}],
      ...(pool ? { pool } : {}),
      ...(env ? { env } : {}),
      ...inline,
    },
    {},
    { stdout: sink, stderr: sink },
  )
  try {
    const { testModules } = await vitest.start()
    const tests: FixtureTest[] = []
    const moduleErrors: string[] = []
    const moduleErrorNames: string[] = []
    for (const module of testModules) {
      moduleErrors.push(...module.errors().map((error) => error.message))
      moduleErrorNames.push(...module.errors().map((error) => error.name ?? 'Error'))
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
    return { tests, moduleErrors, moduleErrorNames, output }
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
