import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import type { Reporter, TestModule } from 'vitest/node'
import { runFixture, testNamed } from './run-fixture.js'

const root = fileURLToPath(new URL('../fixtures/retry/', import.meta.url))

test('with retry: 2, each attempt writes its own heap profile and its error names that one alone', async () => {
  rmSync(join(root, '.memgate'), { recursive: true, force: true })
  let annotations: unknown[] = ['not read']
  const collector: Reporter = {
    onTestRunEnd(modules: ReadonlyArray<TestModule>) {
      const tests = modules.flatMap((module) => [...module.children.allTests()])
      annotations = tests.flatMap((test) => [...test.annotations()])
    },
  }
  const run = await runFixture('retry', { inline: { reporters: ['default', collector] } })
  const { state, errors, meta } = testNamed(run, 'over its limit on every attempt')
  expect(state).toBe('failed')
  expect(errors.map((error) => error.name)).toEqual([
    'MemoryLimitError',
    'MemoryLimitError',
    'MemoryLimitError',
  ])
  const profile = (attempt: number) =>
    join('.memgate', 'retry.test.ts', `over_its_limit_on_every_attempt.attempt-${attempt}.heapprofile`)
  errors.forEach((error, index) => {
    expect(error.message).toMatch(/^Test was limited to 5 MB of peak memory/)
    expect(error.message.match(/\.heapprofile/g)).toHaveLength(1)
    expect(error.message).toMatch(
      new RegExp(
        `\\n\\nAttempt ${index + 1} of 3: heap profile of the test body, for Chrome DevTools' Memory panel: ${profile(index + 1).replace(/[.]/g, '\\.')}$`,
      ),
    )
    expect(existsSync(join(root, profile(index + 1)))).toBe(true)
  })
  // An annotation would be listed under every attempt's error, as each attempt's was before.
  expect(annotations).toEqual([])
  expect(meta.memgateResult?.profile).toBe(profile(3))
  // A test that passes on its second attempt keeps its first attempt's profile, named in that attempt's error.
  const later = testNamed(run, 'over its limit on its first attempt only')
  expect(later.state).toBe('passed')
  expect(later.meta.memgateResult?.profile).toBeUndefined()
  const first = join(
    '.memgate',
    'retry.test.ts',
    'over_its_limit_on_its_first_attempt_only.attempt-1.heapprofile',
  )
  expect(existsSync(join(root, first))).toBe(true)
  expect(run.output.match(/\.heapprofile/g)).toHaveLength(3)
})
