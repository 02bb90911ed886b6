import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Summary } from '@memgate/core/internal'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Reporter, Vitest } from 'vitest/node'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

// memgate({ summary: true, summaryTop: 2 })
const root = fileURLToPath(new URL('../fixtures/summary/', import.meta.url))
const readSummary = (folder = '.memgate') =>
  JSON.parse(readFileSync(`${root}${folder}/summary.json`, 'utf8')) as Summary

let run: FixtureRun
let summary: Summary
beforeAll(async () => {
  rmSync(`${root}.memgate/summary.json`, { force: true })
  run = await runFixture('summary')
  summary = readSummary()
})

describe('the summary', () => {
  test('measures every sequential test, with a limit or not', () => {
    expect(testNamed(run, 'holds 1 MB').meta.memgateResult?.limits).toEqual({})
    expect(testNamed(run, 'holds 1 MB').state).toBe('passed')
    expect(testNamed(run, 'runs concurrently, so is not measured').meta.memgateResult).toBeUndefined()
    expect(summary.measured).toBe(4)
  })

  test('writes the tests with the highest peak to summary.json, of version 1', () => {
    expect(summary.version).toBe(1)
    expect(summary.top).toBe(2)
    expect(summary.tests).toEqual([
      {
        file: 'summary.test.ts',
        name: 'holds 30 MB, over its limit',
        state: 'failed',
        peak: expect.any(Number),
        allocated: expect.any(Number),
        leaked: expect.any(Number),
        limits: { peak: 5_000_000 },
        verdict: 'over peak',
        topSite: { functionName: 'holdRows', file: 'summary.test.ts', line: 6, bytes: expect.any(Number) },
        profileKeeps: 'allocated',
        profile: join('summary.test.ts', 'holds_30_MB_over_its_limit.heapprofile'),
      },
      expect.objectContaining({ name: 'holds 10 MB', state: 'passed', limits: {}, verdict: 'no limit' }),
    ])
    expect(summary.tests[0]?.peak).toBeGreaterThan(29_000_000)
    expect(summary.tests[0]?.allocated).toBeGreaterThan(29_000_000)
  })

  test('records where each failing test wrote its profile and snapshot, and what its profile samples', () => {
    // Paths in the meta are from the project root; summary.json's are from its own folder.
    const over = testNamed(run, 'holds 30 MB, over its limit').meta.memgateResult
    expect(over?.profile).toBe(join('.memgate', summary.tests[0]?.profile ?? '-'))
    expect(existsSync(join(root, over?.profile ?? '-'))).toBe(true)
    // Only a leak limit: the profile samples what the body still held; the diagnosis wrote a snapshot.
    const leak = testNamed(run, 'keeps 2 MB').meta.memgateResult
    expect(leak).toMatchObject({
      profileKeeps: 'retained',
      profile: join('.memgate', 'summary.test.ts', 'keeps_2_MB.heapprofile'),
      snapshot: join('.memgate', 'summary.test.ts', 'keeps_2_MB.heapsnapshot'),
    })
    for (const path of [leak?.profile, leak?.snapshot]) expect(existsSync(join(root, path ?? '-'))).toBe(true)
    expect(testNamed(run, 'holds 10 MB').meta.memgateResult).toMatchObject({ profileKeeps: 'allocated' })
    expect(testNamed(run, 'holds 10 MB').meta.memgateResult?.profile).toBeUndefined()
  })

  test('prints the same as a table in the terminal', () => {
    const lines = run.output.split('\n')
    const title = lines.indexOf('memgate: the 2 of 4 measured tests with the highest peak')
    expect(title).toBeGreaterThanOrEqual(0)
    expect(lines[title + 2]).toMatch(
      /^test +peak +allocated +leaked +limit +verdict +top allocating function$/,
    )
    expect(lines[title + 3]).toMatch(/^-+( +-+){6}$/)
    expect(lines[title + 4]).toMatch(
      /^summary\.test\.ts > holds 30 MB, over its limit +[\d.]+ MB +[\d.]+ MB +[\d.]+ k?B +peak 5 MB +over peak +holdRows \(summary\.test\.ts:6\)$/,
    )
    expect(lines[title + 5]).toMatch(/^summary\.test\.ts > holds 10 MB +[\d.]+ MB .* +- +no limit +holdRows/)
  })

  test('is registered once for a run of several projects, and written to the outputDir given', async () => {
    // (That run's captured output stays empty: Vitest ends the given stdout early when it resolves projects.)
    let reporters: string[] = []
    const collector: Reporter = {
      onInit(vitest: Vitest) {
        reporters = vitest.config.reporters.map((reporter) => reporter.constructor.name)
      },
    }
    rmSync(`${root}.memgate/projects`, { recursive: true, force: true })
    await runFixture('summary', { config: 'vitest.projects.config.ts', inline: { reporters: [collector] } })
    expect(reporters.filter((name) => name === 'SummaryReporter')).toHaveLength(1)
    expect(readSummary('.memgate/projects').measured).toBe(8)
  })

  test('is turned on for one run by MEMGATE_SUMMARY=1, with the config left as it is', async () => {
    // The peak fixture sets no summary option; the variable is read where the config is loaded.
    const peak = fileURLToPath(new URL('../fixtures/peak/.memgate/', import.meta.url))
    rmSync(peak, { recursive: true, force: true })
    process.env.MEMGATE_SUMMARY = '1'
    try {
      await runFixture('peak')
    } finally {
      delete process.env.MEMGATE_SUMMARY
    }
    const written = JSON.parse(readFileSync(`${peak}summary.json`, 'utf8')) as Summary
    expect(written.measured).toBeGreaterThanOrEqual(4)
    expect(written.tests.map((t) => t.name)).toContain('over its limit')
  })

  test('leaves stdout to the reporters: vitest --reporter=json still prints plain JSON', () => {
    const vitest = fileURLToPath(import.meta.resolve('vitest/package.json')).replace(
      /package\.json$/,
      'vitest.mjs',
    )
    const { stdout, stderr } = spawnSync(
      process.execPath,
      [vitest, 'run', '--config', 'vitest.json.config.ts'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      },
    )
    const report = JSON.parse(stdout) as { numTotalTests: number }
    expect(report.numTotalTests).toBeGreaterThan(0)
    expect(stderr).toContain('memgate')
  })
})
