import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, onTestFinished, test, vi } from 'vitest'
import { type FixtureRun, leakFailure, runFixture, testNamed } from './run-fixture.js'

const root = fileURLToPath(new URL('../fixtures/leak-ignore-default/', import.meta.url))
const LIMIT = 64_000
// The fixture's plugin option, as the workers get it: RegExps as their source and flags.
const PLUGIN = { kinds: ['CacheEntry', { regexp: '^LRU', flags: '' }], sites: ['vendor/some-lib'] }
const FROM_PLUGIN = '(from memgate({ ignoreLeaks }))'

let run: FixtureRun
beforeAll(async () => {
  rmSync(`${root}.memgate`, { recursive: true, force: true })
  run = await runFixture('leak-ignore-default')
}, 600_000)

/** A test that passed because the filter took its ignored leak off: what it left, less what was taken off. */
function passedByIgnore(name: string) {
  const { state, meta } = testNamed(run, name)
  expect(state, name).toBe('passed')
  const { leaked = 0, leakedIgnored = 0, limits } = meta.memgateResult ?? {}
  expect(leaked).toBeGreaterThan(LIMIT)
  expect(leakedIgnored).toBeGreaterThan(0)
  expect(leaked - leakedIgnored).toBeLessThanOrEqual(LIMIT)
  return { leaked, leakedIgnored, limits }
}

describe("the plugin's ignoreLeaks applies to every leak check of the project", () => {
  test('a known cache, ignored by kind, passes; the RegExp reached the worker', () => {
    const { limits } = passedByIgnore('a known cache, ignored by kind by the plugin default')
    expect(limits?.ignore).toEqual(PLUGIN)
  })

  test("a library's memo, ignored by its allocation site, passes", () => {
    passedByIgnore("a library's memo, ignored by site by the plugin default")
  })

  test('an unrelated leak in the same file still fails, saying what the plugin default took off', () => {
    const message = leakFailure(run, 'an unrelated leak still fails')
    expect(message).toMatch(
      new RegExp(
        `\\n\\nIgnored: kinds "CacheEntry", /\\^LRU/ ${esc(FROM_PLUGIN)}: 0 B in the diagnosis run; sites "vendor/some-lib" ${esc(FROM_PLUGIN)}: 0 B sampled\\. The larger, 0 B, is taken off the [\\d.]+ kB: [\\d.]+ kB judged against the limit of 64 kB\\.\\n`,
      ),
    )
    expect(message).toMatch(
      /\n +[\d.]+ kB {2}Connection \(6,000 new\)\n +held by module \S+app\.ts → Connection\.registry/,
    )
  })

  test('the known cache is taken off a test that leaks more: the rest is judged', () => {
    const message = leakFailure(run, 'the cache and labels, with the plugin default alone')
    expect(message).toMatch(
      new RegExp(
        `\\n\\nIgnored: kinds "CacheEntry", /\\^LRU/ ${esc(FROM_PLUGIN)}: [\\d.]+ kB in the diagnosis run \\(CacheEntry\\); sites "vendor/some-lib" ${esc(FROM_PLUGIN)}: 0 B sampled\\.`,
      ),
    )
    const { leakedIgnored = 0 } =
      testNamed(run, 'the cache and labels, with the plugin default alone').meta.memgateResult ?? {}
    expect(leakedIgnored).toBeGreaterThan(LIMIT)
  })
})

describe("a test's own ignore", () => {
  test('adds to the plugin default: the cache and the labels are both taken off, and the test passes', () => {
    const { limits } = passedByIgnore(
      'the cache and labels, with a test-level ignore added to the plugin default',
    )
    expect(limits?.ignore).toEqual({ ...PLUGIN, kinds: [...PLUGIN.kinds, 'Label'] })
  })

  test("is told apart from the plugin's in a failure", () => {
    const message = leakFailure(run, 'an unrelated leak, with a test-level ignore')
    expect(message).toContain(
      `Ignored: kinds "CacheEntry", /^LRU/ ${FROM_PLUGIN}, "Label" (from the test): 0 B`,
    )
  })

  test('ignore: false drops the plugin default for that test', () => {
    const message = leakFailure(run, 'the known cache, with ignore: false')
    expect(message).not.toContain('Ignored')
    expect(message).toMatch(/\n +[\d.]+ kB {2}CacheEntry \(3,000 new\)\n/)
    const { limits, leakedIgnored } =
      testNamed(run, 'the known cache, with ignore: false').meta.memgateResult ?? {}
    expect(limits?.ignore).toBeUndefined()
    expect(leakedIgnored).toBeUndefined()
  })
})

// Each bad ignoreLeaks is refused with its own message: test/unit/options-resolve.test.ts.
describe('a bad ignoreLeaks', () => {
  test('stops Vitest as it loads the config, quoting the option', async () => {
    // Vite also logs that the config failed to load: keep it out of this run's output.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
    onTestFinished(() => quiet.mockRestore())
    await expect(runFixture('bad-ignore-option')).rejects.toThrow(
      'memgate({ ignoreLeaks.kinds }): expected an array of strings and RegExps, got "CacheEntry": write ["CacheEntry"]',
    )
  })
})

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
