import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { leakPatterns } from '@memgate/test-utils/leak-catalogue'
import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureRun, leakFailure, runFixture, testNamed } from './run-fixture.js'

// The leak catalogue through Vitest, as a user meets it: each twin passes its limit on its first run, each
// leak fails it, and the failure lists the pattern's kind with its real holder and its allocation site.
const CATALOGUE = fileURLToPath(import.meta.resolve('@memgate/test-utils/leak-catalogue'))

/** The 1-based line where `function name(` starts in the catalogue: V8 places a site at its function. */
function lineOf(name: string): number {
  const lines = readFileSync(CATALOGUE, 'utf8').split('\n')
  const at = lines.findIndex((line) => line.startsWith(`function ${name}(`))
  expect(at, name).toBeGreaterThanOrEqual(0)
  return at + 1
}

describe.each(['forks', 'threads'])('in the %s pool', (pool) => {
  let run: FixtureRun
  beforeAll(async () => {
    run = await runFixture('leak-catalogue', { pool })
  }, 600_000)

  test.each(leakPatterns.map((pattern) => [pattern.name, pattern] as const))('%s', (name, pattern) => {
    expect(testNamed(run, `twin > ${name}`)).toMatchObject({ state: 'passed', errors: [] })
    const message = leakFailure(run, `leak > ${name}`)
    // The kind's line, then its holder and its site.
    const line = new RegExp(
      `\\n +[\\d.]+ [kM]?B {2}${pattern.kind} \\([\\d,]+ new[^)]*\\)\\n +held by ([^\\n]+)\\n +allocated at ([^\\n]+)`,
    ).exec(message)
    expect(line, message).not.toBeNull()
    expect(line?.[1]).toMatch(pattern.heldBy)
    expect(line?.[2]).toMatch(
      new RegExp(`^${pattern.allocatedIn} \\(\\S*leak-catalogue\\.ts:${lineOf(pattern.allocatedIn)}\\)`),
    )
    expect(message).not.toMatch(/node:inspector|ModuleWrap|one-time fill/)
  })
})
