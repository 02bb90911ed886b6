import { fileURLToPath } from 'node:url'
import { type FixtureRun, type RunOptions, runVitest } from '@memgate/test-utils'

export type { FixtureRun, FixtureTest } from '@memgate/test-utils'
export { testNamed } from '@memgate/test-utils'

/**
 * Runs real Vitest on `test/fixtures/<name>` with its own `vitest.config.ts` (or the `config` given), which
 * loads the built plugin.
 */
export function runFixture(name: string, options: RunOptions = {}): Promise<FixtureRun> {
  return runVitest(fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url)), options)
}
