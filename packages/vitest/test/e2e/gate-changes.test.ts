import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixtureRoot, readGate, runGated, runNode, VITEST_CLI } from './gate-helpers.js'
import { testNamed } from './run-fixture.js'

// test/fixtures/gate-basic: GATE_RENAME renames a test, GATE_DROP drops one, GATE_ADD adds one (4 MB).
const root = fixtureRoot('gate-basic')
let dir: string
let baseline: string
let out: string
const gateEnv = () => ({ MEMGATE_BASELINE: baseline, GATE_OUTPUT_DIR: out })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-gate-changes-'))
  baseline = join(dir, 'memgate.baseline.json')
  out = join(dir, 'out')
  await runGated('gate-basic', { ...gateEnv(), MEMGATE_UPDATE: '1' })
  copyFileSync(baseline, join(dir, 'original.json'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tests new to the baseline, gone from it, or renamed', () => {
  test('a renamed test is reported as renamed, and passes', async () => {
    const run = await runGated('gate-basic', gateEnv(), { GATE_RENAME: '1' })
    expect(testNamed(run, 'is renamed').state).toBe('passed')
    const [report] = readGate(out)
    expect(report?.renamed).toEqual([
      { from: 'gate.test.ts > has its first name', to: 'gate.test.ts > is renamed' },
    ])
    expect(report?.new).toEqual([])
    expect(report?.removed).toEqual([])
    expect(run.output).toContain(
      '  renamed  gate.test.ts > has its first name\n        →  gate.test.ts > is renamed',
    )
  })

  test('new and removed tests are reported, not failed', async () => {
    const run = await runGated('gate-basic', gateEnv(), { GATE_DROP: '1', GATE_ADD: '1' })
    expect(run.tests.every((t) => t.state === 'passed')).toBe(true)
    const [report] = readGate(out)
    expect(report?.new).toEqual(['gate.test.ts > is added later'])
    expect(report?.removed).toEqual([
      { id: 'gate.test.ts > is dropped later', reason: 'no longer in its file' },
    ])
    // Not paired as a rename: 4 MB against 1 MB is beyond the tolerance.
    expect(report?.renamed).toEqual([])
    expect(run.output).toMatch(/ {2}new {6}gate\.test\.ts > is added later \(peak 4(\.\d)? MB\)/)
    expect(run.output).toContain('  removed  gate.test.ts > is dropped later (no longer in its file)')
    expect(run.output).toContain('Record the changes: MEMGATE_UPDATE=1 vitest run')
  })

  test('a run filtered to some tests reports none of the others as removed', async () => {
    const cli = await runNode([VITEST_CLI, 'run', '-t', 'holds a little'], root, gateEnv())
    expect(cli.code).toBe(0)
    const [report] = readGate(out)
    expect(report?.tests.map((row) => row.id)).toEqual(['gate.test.ts > holds a little'])
    expect(report?.removed).toEqual([])
  })

  test('with failOnNew and failOnRemoved, a new test fails and a removed one fails the run', async () => {
    const cli = await runNode([VITEST_CLI, 'run', '--config', 'vitest.strict.config.ts'], root, {
      ...gateEnv(),
      GATE_DROP: '1',
      GATE_ADD: '1',
    })
    const output = cli.stdout + cli.stderr
    expect(cli.code).toBe(1)
    expect(output).toContain('FAIL  gate.test.ts > is added later')
    expect(output).toContain(
      'NotInBaselineError: "gate.test.ts > is added later" is measured but has no entry in the baseline',
    )
    expect(output).toMatch(/memgate gate: 1 test of .*memgate\.baseline\.json is gone \(failOnRemoved\)/)
    expect(output).toMatch(/Tests +1 failed \| 5 passed/)
    // The baseline itself is only read.
    expect(readFileSync(baseline, 'utf8')).toBe(readFileSync(join(dir, 'original.json'), 'utf8'))
  })
})
