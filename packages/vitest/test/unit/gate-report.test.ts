import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { TestModule } from 'vitest/node'
import type { GateRegistry, UpdateMode } from '../../src/node/gate-config.js'
import { type GateReport, gateReports } from '../../src/node/gate-report.js'
import type { BaselineEntry } from '../../src/runtime/gate.js'

// The test files of a project: a.test.ts and b.test.ts exist, gone.test.ts does not.
const root = mkdtempSync(join(tmpdir(), 'memgate-gate-report-'))
writeFileSync(join(root, 'a.test.ts'), '')
writeFileSync(join(root, 'b.test.ts'), '')
afterAll(() => rmSync(root, { recursive: true, force: true }))

interface RunTest {
  name: string
  /** Measured peak; none: the test ran unmeasured. */
  peak?: number
  state?: 'passed' | 'failed'
  errorCodes?: string[]
}

/** A test module as Vitest's reporters see it, reduced to what the gate reads. */
function module(file: string, tests: RunTest[], project = ''): TestModule {
  return {
    project: { name: project },
    moduleId: join(root, file),
    errors: () => [],
    children: {
      allTests: () =>
        tests.map(({ name, peak, state = 'passed', errorCodes = [] }) => ({
          fullName: name,
          meta: () =>
            peak === undefined ? {} : { memgateResult: { peak, leaked: 0, limits: { peak: 1e9 } } },
          result: () => ({ state, errors: errorCodes.map((code) => ({ message: code, code })) }),
        })),
    },
  } as unknown as TestModule
}

/** The gate's report of one run against `baseline` (peaks only), tolerance 30%, floor 4 MB. */
function report(
  baseline: Record<string, number>,
  modules: TestModule[],
  update: UpdateMode = false,
  project = '',
): GateReport {
  const tests: Record<string, BaselineEntry> = {}
  for (const [id, peak] of Object.entries(baseline)) tests[id] = { peak }
  const registry: GateRegistry = {
    update,
    projects: new Map([
      [
        project,
        {
          project,
          root,
          path: join(root, 'memgate.baseline.json'),
          file: 'memgate.baseline.json',
          options: {
            baseline: 'memgate.baseline.json',
            tolerance: 0.3,
            floor: 4_000_000,
            failOnNew: false,
            failOnRemoved: false,
          },
          baseline: { version: 1, tests },
        },
      ],
    ]),
  }
  const reports = gateReports(modules, registry)
  expect(reports).toHaveLength(1)
  return reports[0] as GateReport
}

const MB = 1_000_000

describe('gateReports: verdicts', () => {
  test('each measured test is compared with its entry; unmeasured ones are left out', () => {
    const found = report(
      { 'a.test.ts > same': 10 * MB, 'a.test.ts > grew': 10 * MB, 'a.test.ts > shrank': 30 * MB },
      [
        module('a.test.ts', [
          { name: 'same', peak: 12 * MB },
          { name: 'grew', peak: 20 * MB, state: 'failed', errorCodes: ['MEMGATE_REGRESSION'] },
          { name: 'shrank', peak: 10 * MB },
          { name: 'fresh', peak: 1 * MB },
          { name: 'unmeasured' },
        ]),
      ],
    )
    expect(found.tests.map((row) => [row.id, row.verdict, row.failedByGate])).toEqual([
      ['a.test.ts > fresh', 'new', false],
      ['a.test.ts > grew', 'grew', true],
      ['a.test.ts > same', 'same', false],
      ['a.test.ts > shrank', 'shrank', false],
    ])
    expect(found.tests.find((row) => row.verdict === 'grew')?.comparisons).toEqual([
      { figure: 'peak', before: 10 * MB, after: 20 * MB, change: 'grew' },
    ])
    expect(found.new).toEqual(['a.test.ts > fresh'])
    expect(found.removed).toEqual([])
    expect(found.renamed).toEqual([])
    expect(found.next).toBeUndefined()
    expect([found.tolerance, found.floor, found.file]).toEqual([0.3, 4 * MB, 'memgate.baseline.json'])
  })

  test("a failure that is not the gate's own is not counted as the gate's", () => {
    const found = report({ 'a.test.ts > t': 10 * MB }, [
      module('a.test.ts', [
        { name: 't', peak: 20 * MB, state: 'failed', errorCodes: ['MEMGATE_REGRESSION', 'X'] },
      ]),
    ])
    expect(found.tests[0]?.failedByGate).toBe(false)
  })
})

describe('gateReports: removed tests', () => {
  test('gone from a file that ran, or with its file gone; a file that did not run keeps its entries', () => {
    const found = report(
      { 'a.test.ts > dropped': 50 * MB, 'gone.test.ts > t': 10 * MB, 'b.test.ts > not run': 10 * MB },
      [module('a.test.ts', [{ name: 'kept', peak: 1 * MB }])],
    )
    expect(found.removed).toEqual([
      { id: 'a.test.ts > dropped', reason: 'no longer in its file' },
      { id: 'gone.test.ts > t', reason: 'its file is gone' },
    ])
  })

  test('a test that passed unmeasured is no longer measured; one that failed keeps its entry', () => {
    const found = report({ 'a.test.ts > passed': 10 * MB, 'a.test.ts > failed': 10 * MB }, [
      module('a.test.ts', [{ name: 'passed' }, { name: 'failed', state: 'failed' }]),
    ])
    expect(found.removed).toEqual([{ id: 'a.test.ts > passed', reason: 'no longer measured' }])
  })
})

describe('gateReports: renames are paired only when unambiguous and the figures are within the tolerance', () => {
  test('in place: one test gone from a file and one new in it', () => {
    const found = report({ 'a.test.ts > old name': 10 * MB }, [
      module('a.test.ts', [{ name: 'new name', peak: 11 * MB }]),
    ])
    expect(found.renamed).toEqual([{ from: 'a.test.ts > old name', to: 'a.test.ts > new name' }])
    expect(found.new).toEqual([])
    expect(found.removed).toEqual([])
  })

  test('not when the figures moved beyond the tolerance: then one is new and one removed', () => {
    const found = report({ 'a.test.ts > old name': 10 * MB }, [
      module('a.test.ts', [{ name: 'new name', peak: 30 * MB }]),
    ])
    expect(found.renamed).toEqual([])
    expect(found.new).toEqual(['a.test.ts > new name'])
    expect(found.removed).toEqual([{ id: 'a.test.ts > old name', reason: 'no longer in its file' }])
  })

  test('not when two went and two came in the same file', () => {
    const found = report({ 'a.test.ts > one': 10 * MB, 'a.test.ts > two': 10 * MB }, [
      module('a.test.ts', [
        { name: 'uno', peak: 10 * MB },
        { name: 'dos', peak: 10 * MB },
      ]),
    ])
    expect(found.renamed).toEqual([])
    expect(found.new).toEqual(['a.test.ts > dos', 'a.test.ts > uno'])
    expect(found.removed.map((entry) => entry.id)).toEqual(['a.test.ts > one', 'a.test.ts > two'])
  })

  test('moved to another file under the same name', () => {
    const found = report({ 'a.test.ts > holds': 10 * MB, 'a.test.ts > stays': 1 * MB }, [
      module('a.test.ts', [{ name: 'stays', peak: 1 * MB }]),
      module('b.test.ts', [{ name: 'holds', peak: 10 * MB }]),
    ])
    expect(found.renamed).toEqual([{ from: 'a.test.ts > holds', to: 'b.test.ts > holds' }])
    expect(found.new).toEqual([])
    expect(found.removed).toEqual([])
  })

  test('not moved when the name is in two files on either side', () => {
    const found = report({ 'a.test.ts > holds': 10 * MB, 'a.test.ts > stays': 1 * MB }, [
      module('a.test.ts', [{ name: 'stays', peak: 1 * MB }]),
      module('b.test.ts', [
        { name: 'holds', peak: 10 * MB },
        { name: 'other', peak: 10 * MB },
      ]),
      module('gone.test.ts', [{ name: 'holds', peak: 10 * MB }]),
    ])
    expect(found.renamed).toEqual([])
    expect(found.new).toEqual(['b.test.ts > holds', 'b.test.ts > other', 'gone.test.ts > holds'])
  })

  test("with a project name: ids carry it, and other projects' modules are left out", () => {
    const found = report(
      { '|unit| a.test.ts > old name': 10 * MB },
      [
        module('a.test.ts', [{ name: 'new name', peak: 10 * MB }], 'unit'),
        module('a.test.ts', [{ name: 'elsewhere', peak: 10 * MB }], 'e2e'),
      ],
      false,
      'unit',
    )
    expect(found.renamed).toEqual([
      { from: '|unit| a.test.ts > old name', to: '|unit| a.test.ts > new name' },
    ])
    expect(found.tests.map((row) => row.id)).toEqual(['|unit| a.test.ts > new name'])
  })
})

describe('gateReports: what an update writes', () => {
  const baseline = {
    'a.test.ts > same': 10 * MB,
    'a.test.ts > grew': 10 * MB,
    'a.test.ts > broke': 10 * MB,
    'a.test.ts > dropped': 10 * MB,
  }
  const run = () => [
    module('a.test.ts', [
      { name: 'same', peak: 12 * MB },
      { name: 'grew', peak: 20 * MB, state: 'failed', errorCodes: ['MEMGATE_REGRESSION'] },
      { name: 'broke', peak: 50 * MB, state: 'failed', errorCodes: ['ERR_ASSERTION'] },
      { name: 'fresh', peak: 30 * MB },
    ]),
  ]

  test('changed: new and moved entries, removed ones dropped, the rest and failed tests as they were', () => {
    expect(report(baseline, run(), 'changed').next).toEqual({
      'a.test.ts > same': { peak: 10 * MB },
      'a.test.ts > grew': { peak: 20 * MB },
      'a.test.ts > broke': { peak: 10 * MB },
      'a.test.ts > fresh': { peak: 30 * MB },
    })
  })

  test('all: every passing (or gate-failed) test rewritten with its figures', () => {
    expect(report(baseline, run(), 'all').next).toEqual({
      'a.test.ts > same': { peak: 12 * MB },
      'a.test.ts > grew': { peak: 20 * MB },
      'a.test.ts > broke': { peak: 10 * MB },
      'a.test.ts > fresh': { peak: 30 * MB },
    })
  })
})
