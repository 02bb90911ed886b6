import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatSize } from '@memgate/core'
import type { Summary } from '@memgate/core/internal'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type CliRun, fixtureRoot, readBaselineFile, readGate, runNode, VITEST_CLI } from './gate-helpers.js'

// test/fixtures/gate-shards: three files, the gate at its defaults (30%, floor 4 MB) and the summary on. Run
// with the Vitest CLI in child processes, as CI runs it: once whole, and as 3 shards merged with --merge-reports.
const root = fixtureRoot('gate-shards')
const repository = fileURLToPath(new URL('../../../../', import.meta.url))
let dir: string
let baseline: string
let unsharded: CliRun
let shards: CliRun[]
let merged: CliRun
/** The baseline peak written for the test that grew, as the gate prints it, escaped for a RegExp. */
let grownBaseline: string

const github = (name: string) => ({
  GITHUB_ACTIONS: 'true',
  GITHUB_STEP_SUMMARY: join(dir, `${name}.md`),
  GITHUB_WORKSPACE: repository,
  GATE_OUTPUT_DIR: join(dir, name),
  MEMGATE_BASELINE: baseline,
})

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-gate-sharded-'))
  baseline = join(dir, 'memgate.baseline.json')
  const update = await runNode([VITEST_CLI, 'run'], root, {
    MEMGATE_BASELINE: baseline,
    MEMGATE_UPDATE: '1',
    GATE_OUTPUT_DIR: join(dir, 'update'),
  })
  expect(update.code).toBe(0)
  // Edited so that each verdict is certain, whatever the noise: one test grew (its entry cut to 40%), one
  // shrank (doubled), one is new (its entry removed), and one entry's file is gone.
  const file = readBaselineFile(baseline)
  const tests = file.tests
  const grown = tests['b.test.ts > holds 8 MB']
  const shrunk = tests['c.test.ts > holds 6 MB, with no limit']
  if (!grown?.peak || !shrunk?.peak) throw new Error(`unexpected baseline: ${JSON.stringify(tests)}`)
  grown.peak = Math.round(grown.peak * 0.4)
  grownBaseline = formatSize(grown.peak).replaceAll('.', '\\.')
  shrunk.peak *= 2
  delete tests['b.test.ts > holds 3 MB']
  tests['gone.test.ts > was here'] = { peak: 1_000_000 }
  writeFileSync(baseline, JSON.stringify(file, null, 2))
  copyFileSync(baseline, join(dir, 'crafted.json'))

  unsharded = await runNode([VITEST_CLI, 'run'], root, github('unsharded'))
  shards = []
  for (const index of [1, 2, 3]) {
    const args = [
      VITEST_CLI,
      'run',
      `--shard=${index}/3`,
      '--reporter=blob',
      `--outputFile=${dir}/blobs/blob-${index}.json`,
    ]
    shards.push(await runNode(args, root, github(`shard-${index}`)))
  }
  merged = await runNode([VITEST_CLI, 'run', `--merge-reports=${dir}/blobs`], root, github('merged'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A report without its byte counts, which differ between any two runs. */
function verdicts(name: string) {
  const [report] = readGate(join(dir, name))
  if (!report) throw new Error(`no gate report in ${name}`)
  const { tests, ...rest } = report
  return {
    ...rest,
    tests: tests.map(({ id, state, verdict, failedByGate, current }) => ({
      id,
      state,
      verdict,
      failedByGate,
      figures: Object.keys(current),
    })),
  }
}

function summary(name: string) {
  const data = JSON.parse(readFileSync(join(dir, name, 'summary.json'), 'utf8')) as Summary
  return {
    measured: data.measured,
    tests: data.tests.map(({ file, name, state, limits, verdict }) => ({
      file,
      name,
      state,
      limits,
      verdict,
    })),
  }
}

function memgateSection(text: string): string {
  const start = text.indexOf('### memgate:')
  expect(start).toBeGreaterThanOrEqual(0)
  const end = text.indexOf('\n## ', start)
  return text.slice(start, end === -1 ? undefined : end)
}

const figures = (text: string) =>
  text.replace(/\d+(\.\d+)? (k?B|MB)/g, '<size>').replace(/[+-](\d+(\.\d+)?|∞)%/g, '<change>')
const annotations = (run: CliRun) =>
  run.stdout
    .split('\n')
    .filter((line) => line.startsWith('::error') && line.includes('title=memgate'))
    // Workflow commands escape %, and : and , in properties; read back as GitHub shows them.
    .map((line) => figures(decodeURIComponent(line)))

describe('sharded runs', () => {
  test('each shard gates its own tests, and leaves the report to --merge-reports', () => {
    expect(shards.map((shard) => shard.code)).toContain(1)
    shards.forEach((shard, index) => {
      expect(shard.stderr).toContain(`memgate gate: shard ${index + 1}/3: tests were gated in their workers`)
    })
    expect(existsSync(join(dir, 'shards.md'))).toBe(false)
    for (const index of [1, 2, 3]) expect(existsSync(join(dir, `shard-${index}`, 'gate.json'))).toBe(false)
  })

  test('3 shards merged give the same verdicts, gate report and summary as one unsharded run', () => {
    expect(unsharded.code).toBe(1)
    expect(merged.code).toBe(1)
    const whole = verdicts('unsharded')
    expect(verdicts('merged')).toEqual(whole)
    expect(whole.tests).toEqual([
      {
        id: 'a.test.ts > holds 1 MB',
        state: 'passed',
        verdict: 'same',
        failedByGate: false,
        figures: ['peak'],
      },
      {
        id: 'a.test.ts > parsing > holds 2 MB',
        state: 'passed',
        verdict: 'same',
        failedByGate: false,
        figures: ['peak'],
      },
      {
        id: 'b.test.ts > holds 3 MB',
        state: 'passed',
        verdict: 'new',
        failedByGate: false,
        figures: ['peak'],
      },
      {
        id: 'b.test.ts > holds 8 MB',
        state: 'failed',
        verdict: 'grew',
        failedByGate: true,
        figures: ['peak'],
      },
      {
        id: 'c.test.ts > holds 6 MB, with no limit',
        state: 'passed',
        verdict: 'shrank',
        failedByGate: false,
        figures: ['peak', 'leaked'],
      },
      {
        id: 'c.test.ts > keeps 4 MB',
        state: 'passed',
        verdict: 'same',
        failedByGate: false,
        figures: ['leaked'],
      },
    ])
    expect(whole).toMatchObject({
      new: ['b.test.ts > holds 3 MB'],
      removed: [{ id: 'gone.test.ts > was here', reason: 'its file is gone' }],
      renamed: [],
      tolerance: 0.3,
      floor: 4_000_000,
    })
    expect(summary('merged')).toEqual(summary('unsharded'))
    expect(summary('unsharded').measured).toBe(6)
    // The failure is the test's own: the same message in the terminal of both.
    const failure = new RegExp(
      `MemoryRegressionError: peak grew from ${grownBaseline} to 8(\\.\\d)? MB \\(\\+1\\d\\d%, tolerance 30%, floor 4 MB\\)`,
    )
    expect(unsharded.stderr).toMatch(failure)
    expect(merged.stderr).toMatch(failure)
  })

  test('in GitHub Actions: the same step summary table and annotations, unsharded or merged', () => {
    // Vitest's own GitHub reporter writes its report to the same file; memgate appends its section.
    const whole = memgateSection(readFileSync(join(dir, 'unsharded.md'), 'utf8'))
    expect(figures(memgateSection(readFileSync(join(dir, 'merged.md'), 'utf8')))).toBe(figures(whole))
    expect(whole).toContain('### memgate: memory against `')
    expect(whole).toContain('| test | peak | baseline | change | leaked | baseline | change | verdict |')
    expect(whole).toMatch(
      new RegExp(
        `^\\| \`b\\.test\\.ts > holds 8 MB\` \\| 8(\\.\\d)? MB \\| ${grownBaseline} \\| \\+1\\d\\d% \\| - \\| - \\| - \\| ❌ grew \\(failed\\) \\|$`,
        'm',
      ),
    )
    expect(whole).toMatch(
      /^\| `b\.test\.ts > holds 3 MB` \| 3(\.\d)? MB \| - \| - \| - \| - \| - \| 🆕 new \|$/m,
    )
    expect(whole).toContain(
      '**Removed from the baseline:**\n\n- `gone.test.ts > was here` (its file is gone)',
    )

    const expected = annotations(unsharded)
    expect(expected).toEqual([
      '::error file=packages/vitest/test/fixtures/gate-shards/b.test.ts,line=5,title=memgate: holds <size>::' +
        'peak grew from <size> to <size> (<change>, tolerance 30%, floor <size>) over the baseline in ' +
        `${baseline}. If the growth is intended, record it: MEMGATE_UPDATE=1 vitest run (then review and commit the baseline).`,
    ])
    expect(annotations(merged)).toEqual(expected)
    expect(unsharded.stdout).toContain('title=memgate%3A holds 8 MB::peak grew from')
    // Vitest's own GitHub reporter (on by default there) does not annotate it again.
    expect(unsharded.stdout.split('\n').filter((line) => line.startsWith('::error'))).toHaveLength(1)
  })

  test('an update from merged shard reports writes the same baseline as an unsharded update', async () => {
    const whole = join(dir, 'update-whole.json')
    const fromShards = join(dir, 'update-shards.json')
    copyFileSync(join(dir, 'crafted.json'), whole)
    copyFileSync(join(dir, 'crafted.json'), fromShards)
    const env = (path: string, name: string) => ({
      MEMGATE_BASELINE: path,
      MEMGATE_UPDATE: '1',
      GATE_OUTPUT_DIR: join(dir, name),
    })
    expect((await runNode([VITEST_CLI, 'run'], root, env(whole, 'u1'))).code).toBe(0)
    const merge = await runNode(
      [VITEST_CLI, 'run', `--merge-reports=${dir}/blobs`],
      root,
      env(fromShards, 'u2'),
    )
    // The shards' gate failure is still a failed test; its figures are recorded all the same.
    expect(merge.stderr).toContain('1 added, 2 updated, 1 removed')
    const a = readBaselineFile(whole).tests
    const b = readBaselineFile(fromShards).tests
    expect(Object.keys(b)).toEqual(Object.keys(a))
    expect(Object.keys(a)).not.toContain('gone.test.ts > was here')
    // Entries within the tolerance were kept byte for byte by both; the moved ones hold this run's figures.
    const crafted = readBaselineFile(join(dir, 'crafted.json')).tests
    expect(b['a.test.ts > holds 1 MB']).toEqual(crafted['a.test.ts > holds 1 MB'])
    expect(a['a.test.ts > holds 1 MB']).toEqual(crafted['a.test.ts > holds 1 MB'])
    expect(b['b.test.ts > holds 8 MB']?.peak).toBeGreaterThan(8_000_000)
    expect(a['b.test.ts > holds 8 MB']?.peak).toBeGreaterThan(8_000_000)
  })
})
