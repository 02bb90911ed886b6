import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureRun, leakFailure, runFixture, testNamed } from './run-fixture.js'

// Issue 17: a leak diagnosis re-runs the body, and Vitest times that call against the test's timeout like any
// other. Here in the forks pool, under Vitest's default 5 s timeout for the memo cache and 2 s for the others.
const root = fileURLToPath(new URL('../fixtures/diagnosis-budget/', import.meta.url))

let run: FixtureRun
beforeAll(async () => {
  rmSync(`${root}.memgate`, { recursive: true, force: true })
  run = await runFixture('diagnosis-budget')
}, 600_000)

const DIAGNOSED =
  /\n\nLeak diagnosis \(the body ran once more under leak tracking; took [\d.]+ m?s\): objects that run made/
const NOT_DIAGNOSED =
  "\n\nmemgate could not diagnose the leak: the diagnosis run reached the test's timeout of"

test('a memo cache of 20,000 entries under the default timeout is diagnosed: its tracked re-run would outlast it', () => {
  const message = leakFailure(run, 'a memo cache of 20,000 entries')
  expect(message).toMatch(DIAGNOSED)
  // The quotes, their line arrays and their keys, each held by the cache.
  expect(message).toMatch(
    /\n +[\d.]+ [kM]B {2}Object \(20,000 new\)\n +held by [^\n]*memo\.ts → quoteCache \(Map\)/,
  )
  expect(message).toMatch(
    /\n +[\d.]+ [kM]B {2}Array \(20,00\d new\)\n +held by [^\n]*memo\.ts → quoteCache \(Map\)/,
  )
  expect(message).toMatch(
    /\n +[\d.]+ [kM]B {2}\(string\) \([\d,]+ new\)\n +held by [^\n]*memo\.ts → quoteCache/,
  )
  expect(message).not.toContain('could not diagnose')
  expect(message).not.toMatch(/timed out/i)
  // Tracked, its re-run would outlast 5 s here (it allocates ~200 MB); on a machine fast enough it may be
  // tracked, and each kind then has its site.
  if (/\nAllocation sites per kind were not tracked/.test(message)) {
    expect(message).toMatch(
      /\nAllocation sites per kind were not tracked: (the body took [\d.]+ m?s and allocated [\d.]+ MB; tracking every allocation, its re-run would take an estimated [\d.]+ m?s, past the test's timeout of 5000 ms \(Vitest times each run of the body, the diagnosis's too\)\. A larger `timeout` lets them be tracked|the re-run tracking them reached the test's timeout of 5000 ms)/,
    )
  } else {
    expect(message).toMatch(/\n +allocated at \S+ \(\S*memo\.ts:\d+\)/)
  }
  expect(testNamed(run, 'a memo cache of 20,000 entries').meta.memgateResult?.snapshot).toBe(
    '.memgate/budget.test.ts/a_memo_cache_of_20_000_entries.heapsnapshot',
  )
})

describe('a diagnosis run that reaches the test timeout is reported as such', () => {
  test('a synchronous body is re-run without sites when its tracked re-run reaches it, and diagnosed', () => {
    const message = leakFailure(run, 'a body whose tracked re-run reaches its timeout')
    expect(message).toMatch(DIAGNOSED)
    expect(message).toMatch(/\n +[\d.]+ kB {2}Object \(2,000 new\)\n +held by [^\n]*budget\.test\.ts → kept/)
    expect(message).toMatch(
      /\nAllocation sites per kind were not tracked: the re-run tracking them reached the test's timeout of 2000 ms \(the measured run took [\d.]+ m?s; tracking every allocation makes a body many times slower\), so the body ran once more without them, after Vitest had aborted the test's `signal`\. A larger `timeout` leaves tracking the time it needs; the sampled sites above are for all kinds together\.\n/,
    )
    expect(message).not.toMatch(/timed out/i)
  })

  test('when the re-run without sites reaches it too, the failure says what was tried and what to do', () => {
    const message = leakFailure(run, 'a body whose every re-run reaches its timeout')
    expect(message).not.toMatch(DIAGNOSED)
    expect(message).toMatch(
      /\n\nmemgate could not diagnose the leak: the diagnosis run reached the test's timeout of 2000 ms \(the measured run took [\d.]+ m?s; Vitest times each run of the body\)\. It ran with allocation sites tracked, which makes a body many times slower, then once more without them, and reached it both times\. A larger `timeout` gives it the time; `diagnose: false` skips the diagnosis\.$/,
    )
    expect(message).not.toMatch(/timed out|threw/i)
    expect(testNamed(run, 'a body whose every re-run reaches its timeout').meta.memgateResult?.snapshot).toBe(
      undefined,
    )
  })

  test('a body whose measured run leaves no room for tracking is re-run untracked, and the failure names the timeout', () => {
    const message = leakFailure(run, 'a body too slow for tracking whose re-run reaches its timeout')
    expect(message).toContain(NOT_DIAGNOSED)
    expect(message).toMatch(
      /the diagnosis run reached the test's timeout of 2000 ms \(the measured run took [\d.]+ m?s; Vitest times each run of the body\)\. It ran without allocation sites, at full speed \(tracking them would have made it slower still\)\. A larger `timeout` gives it the time; `diagnose: false` skips the diagnosis\.$/,
    )
    expect(message).not.toMatch(/timed out|threw/i)
  })

  test('an async body is not re-run: Vitest does not stop it at the timeout', () => {
    const message = leakFailure(run, 'an async body whose tracked re-run reaches its timeout')
    expect(message).toMatch(
      /the diagnosis run reached the test's timeout of 2000 ms \(the measured run took [\d.]+ m?s; Vitest times each run of the body\)\. It ran with allocation sites tracked, which makes a body many times slower, and was not run again without them: the body is asynchronous, and Vitest's timer does not stop it\. A larger `timeout` gives it the time; `diagnose: \{ sites: false \}` re-runs it at full speed\.$/,
    )
    expect(message).not.toMatch(/timed out|threw/i)
  })
})
