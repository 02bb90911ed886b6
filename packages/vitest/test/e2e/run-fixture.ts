import { fileURLToPath } from 'node:url'
import { type FixtureRun, type RunOptions, runVitest, testNamed } from '@memgate/test-utils'
import { expect } from 'vitest'

export type { FixtureRun, FixtureTest } from '@memgate/test-utils'
export { testNamed } from '@memgate/test-utils'

/**
 * Runs real Vitest on `test/fixtures/<name>` with its own `vitest.config.ts` (or the `config` given), which
 * loads the built plugin.
 */
export function runFixture(name: string, options: RunOptions = {}): Promise<FixtureRun> {
  return runVitest(fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url)), options)
}

/** The failure message of a test that must have failed on its leak limit alone. */
export function leakFailure(run: FixtureRun, name: string): string {
  const { state, errors } = testNamed(run, name)
  expect(state, name).toBe('failed')
  expect(errors.map((error) => error.name)).toEqual(['LeakLimitError'])
  return errors[0]?.message ?? ''
}
