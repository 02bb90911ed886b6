import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { MemgateSummary } from '../../src/node/summary.js'
import { readBaselineFile, readGate, runGated } from './gate-helpers.js'
import { type FixtureRun, testNamed } from './run-fixture.js'

// test/fixtures/timeout: a limited test whose 300 ms timeout interrupts its body, beside one that passes.
const TIMED_OUT = 'waits past its timeout'
const ID = `timeout.test.ts > ${TIMED_OUT}`
const PASSING = 'timeout.test.ts > holds 2 MB within its limit'
let dir: string
let baseline: string
let run: FixtureRun
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-timeout-'))
  baseline = join(dir, 'memgate.baseline.json')
  // Entries far below what either body holds: compared, they would read as grown.
  writeFileSync(
    baseline,
    JSON.stringify({ version: 1, tests: { [ID]: { peak: 1000 }, [PASSING]: { peak: 1000 } } }),
  )
  run = await runGated('timeout', { MEMGATE_BASELINE: baseline, GATE_OUTPUT_DIR: join(dir, 'out') })
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a test that timed out', () => {
  test('fails on its timeout, its result saying so with no figures of the interrupted body', () => {
    const { state, errors, meta } = testNamed(run, TIMED_OUT)
    expect(state).toBe('failed')
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/^Test timed out in 300ms\./),
    ])
    expect(meta.memgateResult).toEqual({ timedOut: true, limits: { peak: 50_000_000 } })
  })

  test('has a verdict of its own in the summary, without figures', () => {
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')) as MemgateSummary
    expect(summary.tests.map((entry) => entry.name)).toEqual(['holds 2 MB within its limit'])
    expect(summary.timedOut).toEqual([
      {
        file: 'timeout.test.ts',
        name: TIMED_OUT,
        state: 'failed',
        limits: { peak: 50_000_000 },
        verdict: 'timed out',
      },
    ])
    const row = run.output.split('\n').find((line) => line.startsWith(ID))
    expect(row).toMatch(
      /^timeout\.test\.ts > waits past its timeout +- +- +- +peak 50 MB +timed out +body interrupted: not measured$/,
    )
    expect(run.output).toContain(
      '1 measured test, highest peak first; 1 timed out, listed last without figures',
    )
  })

  test('is neither compared with its baseline entry nor has it rewritten or removed', async () => {
    const [report] = readGate(join(dir, 'out'))
    expect(report?.tests.map((row) => [row.id, row.verdict])).toEqual([[PASSING, 'grew']])
    expect(report?.removed).toEqual([])
    // An update run, with the summary off (the peak-only screening measures it then).
    const update = await runGated('timeout', {
      MEMGATE_BASELINE: baseline,
      GATE_OUTPUT_DIR: join(dir, 'update'),
      MEMGATE_UPDATE: '1',
      SUMMARY: '0',
    })
    expect(testNamed(update, TIMED_OUT).meta.memgateResult).toEqual({
      timedOut: true,
      limits: { peak: 50_000_000 },
    })
    const written = readBaselineFile(baseline).tests
    expect(written[ID]).toEqual({ peak: 1000 })
    expect(written[PASSING]?.peak).toBeGreaterThan(1_000_000)
  })
})
