// The memgate gate's flake check: runs each example's suite once to write a baseline (to a temporary file, never
// the committed one), then N more times against it with no code changed, and counts the tests the gate failed.
// At the default tolerance that count must be zero. Also reports how far each figure moved from its baseline:
// the run-to-run noise the defaults are chosen from.
//
//   node scripts/gate-flake-check.mjs [--runs 10] [--write] [example …]
//
// Needs the packages built (pnpm build). `--write` puts the result into packages/vitest/BENCHMARKS.md, between
// the gate-flake-check markers. Exits 1 when the gate failed any test (other failures are listed, not counted).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatSize } from '../packages/core/dist/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const vitestCli = join(root, 'node_modules', 'vitest', 'vitest.mjs')
const args = process.argv.slice(2)
const write = args.includes('--write')
const runsAt = args.indexOf('--runs')
const runs = runsAt === -1 ? 10 : Number(args[runsAt + 1])
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs: expected a whole number ≥ 1, got ${args[runsAt + 1]}`)
const named = args.filter((arg, index) => !arg.startsWith('--') && (runsAt === -1 || index !== runsAt + 1))
const examples = (named.length > 0 ? named : readdirSync(join(root, 'examples')))
  .filter((name) => existsSync(join(root, 'examples', name, 'vitest.config.ts')))
  .sort()
if (examples.length === 0) throw new Error('No example with a vitest.config.ts to run.')

const started = new Date()
const loadBefore = loadavg()
const results = []
for (const example of examples) results.push(checkExample(example))
const loadAfter = loadavg()

const text = report(results)
process.stdout.write(`\n${text}`)
if (write) writeSection(join(root, 'packages', 'vitest', 'BENCHMARKS.md'), text)
const failed = results.some((result) => result.gateFailures > 0 || result.broken)
process.exit(failed ? 1 : 0)

function checkExample(example) {
  const dir = join(root, 'examples', example)
  const temp = mkdtempSync(join(tmpdir(), `memgate-flake-${example}-`))
  const baselinePath = join(temp, 'baseline.json')
  const log = (line) => process.stdout.write(`[${new Date().toISOString()}] ${example}: ${line}\n`)
  try {
    log('writing the baseline (MEMGATE_UPDATE=all)')
    const first = runSuite(dir, temp, 'baseline', { MEMGATE_BASELINE: baselinePath, MEMGATE_UPDATE: 'all' })
    const baseline = existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, 'utf8')).tests : {}
    const result = {
      example,
      gated: Object.keys(baseline).length,
      runs: 0,
      gateFailures: 0,
      otherFailures: 0,
      // A test that fails in the baseline run has no entry (an update keeps only passing tests' figures).
      broken: first.total === 0 ? 'no tests yet' : undefined,
      failures: [],
      others: first.others.map((name) => `baseline run: ${name}`),
      // Per test: the largest move of each figure from its baseline over the runs, relative and in bytes.
      moves: new Map(),
      tolerance: undefined,
    }
    if (result.broken) return result
    for (let run = 1; run <= runs; run++) {
      const outcome = runSuite(dir, temp, `run-${run}`, { MEMGATE_BASELINE: baselinePath })
      result.runs++
      result.gateFailures += outcome.gateFailures.length
      result.otherFailures += outcome.failed - outcome.gateFailures.length
      result.failures.push(...outcome.gateFailures.map((failure) => `run ${run}: ${failure}`))
      result.others.push(...outcome.others.map((name) => `run ${run}: ${name}`))
      const gate = readGate(dir)
      result.tolerance = gate ? { relative: gate.tolerance, floor: gate.floor } : result.tolerance
      for (const row of gate?.tests ?? []) {
        if (!row.baseline) continue
        // A figure the test is not gated on (not in its baseline entry) stays null: shown as "-".
        const move = result.moves.get(row.id) ?? { peak: null, leaked: null }
        for (const figure of ['peak', 'leaked']) {
          const before = row.baseline[figure]
          const after = row.current[figure]
          if (before === undefined || after === undefined) continue
          const abs = after - before
          const rel = before === 0 ? (after === 0 ? 0 : Number.POSITIVE_INFINITY) : abs / before
          move[figure] ??= { rel: 0, abs: 0 }
          if (Math.abs(abs) > Math.abs(move[figure].abs)) move[figure].abs = abs
          if (Math.abs(rel) > Math.abs(move[figure].rel)) move[figure].rel = rel
        }
        result.moves.set(row.id, move)
      }
      log(`run ${run}/${runs}: ${outcome.gateFailures.length} gate failures, ${outcome.failed} failed tests`)
    }
    return result
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

/** One `vitest run` of the example as a child process, with the JSON reporter; counts failures. */
function runSuite(dir, temp, name, env) {
  const output = join(temp, `report-${name}.json`)
  const child = spawnSync(process.execPath, [vitestCli, 'run', '--reporter=json', `--outputFile=${output}`], {
    cwd: dir,
    env: { ...process.env, ...env, CI: '1', GITHUB_ACTIONS: '' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (!existsSync(output))
    throw new Error(`${dir}: vitest wrote no report (exit ${child.status}):\n${child.stderr}`)
  const json = JSON.parse(readFileSync(output, 'utf8'))
  const gateFailures = []
  const others = []
  let failed = 0
  for (const file of json.testResults ?? []) {
    for (const test of file.assertionResults) {
      if (test.status !== 'failed') continue
      failed++
      const message = test.failureMessages.join('\n')
      if (/MemoryRegressionError|NotInBaselineError/.test(message))
        gateFailures.push(`${test.fullName}: ${message.split('\n')[0]}`)
      else others.push(`${test.fullName}: ${message.split('\n')[0]}`)
    }
  }
  return { failed, gateFailures, others, total: json.numTotalTests ?? 0 }
}

function readGate(dir) {
  const path = join(dir, '.memgate', 'gate.json')
  if (!existsSync(path)) return undefined
  const [first] = JSON.parse(readFileSync(path, 'utf8')).baselines
  return first
}

function report(results) {
  const percent = (value) =>
    Number.isFinite(value) ? `${value >= 0 ? '+' : '-'}${Math.abs(value * 100).toFixed(1)}%` : '+∞%'
  const bytes = (value) => `${value >= 0 ? '+' : '-'}${formatSize(Math.abs(value))}`
  const cells = (move) => (move ? `${percent(move.rel)} | ${bytes(move.abs)}` : '- | -')
  const lines = [
    `## CI gate: flake check (${examples.join(', ')})`,
    '',
    `<!-- Written by scripts/gate-flake-check.mjs on ${started.toISOString()}; rerun it rather than editing. -->`,
    '',
    `Each example's suite run once to write a baseline (to a temporary file), then ${runs} more time${runs === 1 ? '' : 's'} against it,`,
    'no code changed, with the gate at its default tolerance. A gate failure here would be a flake.',
    '',
    `Command: \`node scripts/gate-flake-check.mjs --runs ${runs} --write ${examples.join(' ')}\` (from the repository root, after \`pnpm build\`).`,
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} CPUs, Node ${process.version}; load average at start`,
    `${loadBefore.map((value) => value.toFixed(2)).join(', ')}, at end ${loadAfter.map((value) => value.toFixed(2)).join(', ')}.`,
    '',
    '| example | gated tests | runs | gate failures | other failed tests | tolerance |',
    '| ------- | ----------: | ---: | ------------: | -----------------: | --------- |',
  ]
  for (const result of results) {
    const tolerance = result.tolerance
      ? `${Math.round(result.tolerance.relative * 100)}%, floor ${formatSize(result.tolerance.floor)}`
      : '-'
    lines.push(
      `| ${result.example} | ${result.gated} | ${result.runs} | ${result.gateFailures} | ${result.otherFailures}${result.broken ? ` (${result.broken})` : ''} | ${tolerance} |`,
    )
  }
  for (const result of results) {
    if (result.others.length > 0)
      lines.push(
        '',
        `Other failed tests in ${result.example} (not the gate's; with no code changed):`,
        '',
        ...result.others.map((f) => `- ${f}`),
      )
    if (result.failures.length > 0)
      lines.push('', `Gate failures in ${result.example}:`, '', ...result.failures.map((f) => `- ${f}`))
  }
  lines.push(
    '',
    'The largest move of each figure from its baseline over the runs (the sign says which way):',
    '',
    '| test | peak, relative | peak, bytes | leaked, relative | leaked, bytes |',
    '| ---- | -------------: | ----------: | ---------------: | ------------: |',
  )
  for (const result of results) {
    for (const [id, move] of [...result.moves].sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push(
        `| ${result.example}: \`${id.replace(/\|/g, '\\|')}\` | ${cells(move.peak)} | ${cells(move.leaked)} |`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

function writeSection(path, section) {
  // One block per set of examples checked, so that runs of different examples keep each other's results.
  const start = `<!-- gate-flake-check:start ${examples.join(' ')} -->`
  const end = `<!-- gate-flake-check:end ${examples.join(' ')} -->`
  const block = `${start}\n\n${section}\n${end}`
  const current = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const at = current.indexOf(start)
  const stop = current.indexOf(end)
  const next =
    at !== -1 && stop > at
      ? `${current.slice(0, at)}${block}${current.slice(stop + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`
  writeFileSync(path, next)
}
