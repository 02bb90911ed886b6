// Whole-process cost of the plugin: real `vitest run` of a generated 500-test suite, five ways, timed in the
// same run and alternated so that load from elsewhere lands on all of them. Writes BENCHMARKS.md.
//   node bench/suite.bench.mjs [rounds]
import { execFileSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const FILES = 10
const TESTS_PER_FILE = 50
const rounds = Number(process.argv[2] ?? 5)
const packageDir = fileURLToPath(new URL('..', import.meta.url))
const vitestBin = join(packageDir, 'node_modules', 'vitest', 'vitest.mjs')
const coreDir = join(packageDir, '..', 'core')
// The plugin as a user has it: a package in the project's node_modules, which Vitest loads as it is rather
// than transforming it as the project's own code (as it would from a path into this repository).
const plugin = '@memgate/vitest'

/** `node_modules` as `pnpm add -D @memgate/vitest` leaves it: the two packages copied, their dependencies linked. */
function install(dir) {
  const modules = join(dir, 'node_modules')
  for (const [name, from] of [
    ['@memgate/vitest', packageDir],
    ['@memgate/core', coreDir],
  ]) {
    for (const part of ['package.json', 'dist'])
      cpSync(join(from, part), join(modules, name, part), { recursive: true })
  }
  for (const [name, from] of [
    ['vitest', packageDir],
    ['pretty-bytes', coreDir],
  ]) {
    mkdirSync(join(modules, name, '..'), { recursive: true })
    symlinkSync(realpathSync(join(from, 'node_modules', name)), join(modules, name), 'dir')
  }
}

/**
 * The floor, without the plugin: what any per-test measurement by memgate's definitions must do around each
 * test, done with V8's APIs directly in a setup file — the young generation pinned as memgate pins it, a
 * forced full GC for the baseline, one for the end reading, and the sampling heap profiler started and its
 * profile taken (V8 runs one more full GC for that).
 */
const FLOOR_SETUP = `import { Session } from 'node:inspector'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterEach, beforeEach } from 'vitest'
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc')
let session
const post = (method, params) => session.post(method, params, (error) => { if (error) throw error })
beforeEach(() => {
  session = new Session()
  session.connect()
  post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
  gc()
})
afterEach(() => {
  gc()
  post('HeapProfiler.stopSampling')
  session.disconnect()
})
`

const CONFIGS = {
  plain: "export default { test: { include: ['test/*.test.js'] } }",
  floor:
    "export default { test: { include: ['test/*.test.js'], setupFiles: ['./floor-setup.mjs'], execArgv: ['--max-semi-space-size=1'] } }",
  plugin: `import { memgate } from ${JSON.stringify(plugin)}\nexport default { plugins: [memgate()], test: { include: ['test/*.test.js'] } }`,
  pluginNoGate: `import { memgate } from ${JSON.stringify(plugin)}\nexport default { plugins: [memgate({ gate: false })], test: { include: ['test/*.test.js'] } }`,
}

/**
 * The suite shaped like a real one (the third-party suite of issue 18 had 187 files and 2,533 short tests,
 * whose own durations summed to 17.6 s): files of very different sizes, most tests short and allocating
 * little, some computing for milliseconds, a few allocating tens of MB (Buffers, typed arrays, big arrays).
 * Deterministic: test `t` of file `f` gets its work from the same formulas each run.
 */
const REAL_FILES = 40
const REAL_TESTS_PER_FILE = [2, 4, 6, 10, 15, 25, 40, 80]
/** Work of one test: [share of tests, JS source]. Drawn in turn by (f * 31 + t * 7) % 100. */
const REAL_WORK = [
  [60, "const o = { id: SEED, tags: ['a', 'b'] }\n  expect(JSON.parse(JSON.stringify(o)).id).toBe(SEED)"],
  [
    20,
    "const rows = Array.from({ length: 5000 }, (_, i) => ({ i, name: 'row ' + (i + SEED) }))\n  expect(rows.length).toBe(5000)",
  ],
  [
    10,
    'let x = 0\n  for (let i = 0; i < 2_000_000; i++) x = (x + i * SEED) % 1_000_003\n  expect(x).toBeGreaterThanOrEqual(0)',
  ],
  [
    6,
    'const values = new Array(400_000).fill(0).map((_, i) => i + SEED)\n  expect(values.reduce((a, b) => a + b, 0)).toBeGreaterThan(0)',
  ],
  [
    3,
    'const chunks = Array.from({ length: 20 }, () => Buffer.alloc(1_000_000, SEED % 256))\n  expect(Buffer.concat(chunks).length).toBe(20_000_000)',
  ],
  [
    1,
    'const samples = new Float64Array(5_000_000)\n  samples.fill(SEED)\n  expect(samples.map((v) => v * 2)[0]).toBe(2 * SEED)',
  ],
]
function realWork(f, t) {
  let pick = (f * 31 + t * 7) % 100
  for (const [share, source] of REAL_WORK) {
    if (pick < share) return source.replaceAll('SEED', String(f + t + 1))
    pick -= share
  }
  return REAL_WORK[0][1].replaceAll('SEED', String(f + t + 1))
}
const REAL_TESTS = Array.from(
  { length: REAL_FILES },
  (_, f) => REAL_TESTS_PER_FILE[f % REAL_TESTS_PER_FILE.length],
).reduce((sum, n) => sum + n, 0)

/** One project folder: 500 small tests that each do a little allocating work, or the real-shaped suite. */
function project(kind) {
  if (kind.startsWith('real')) return realProject(kind)
  const dir = mkdtempSync(join(tmpdir(), `memgate-suite-${kind}-`))
  mkdirSync(join(dir, 'test'))
  writeFileSync(join(dir, 'vitest.config.mjs'), `${CONFIGS[kind] ?? CONFIGS.plugin}\n`)
  if (kind !== 'plain' && kind !== 'floor') install(dir)
  if (kind === 'floor') writeFileSync(join(dir, 'floor-setup.mjs'), FLOOR_SETUP)
  // A limit on every test, or on the first test of each file only (the rest unlimited).
  const limited = (t) => kind === 'limits' || (kind === 'some' && t === 0)
  const imports =
    kind === 'limits' || kind === 'some' ? `import { limitMemory } from ${JSON.stringify(plugin)}\n` : ''
  for (let f = 0; f < FILES; f++) {
    const tests = Array.from(
      { length: TESTS_PER_FILE },
      (_, t) =>
        `test('sums ${t}'${limited(t) ? ", limitMemory('50 MB')" : ''}, () => {\n  const values = Array.from({ length: 2000 }, (_, i) => ({ i: i + ${t} }))\n` +
        `  expect(values.reduce((sum, v) => sum + v.i, 0)).toBeGreaterThan(0)\n})`,
    )
    writeFileSync(
      join(dir, 'test', `suite-${f}.test.js`),
      `import { expect, test } from 'vitest'\n${imports}\n${tests.join('\n\n')}\n`,
    )
  }
  return dir
}

function realProject(kind) {
  const dir = mkdtempSync(join(tmpdir(), `memgate-suite-${kind}-`))
  mkdirSync(join(dir, 'test'))
  const config =
    kind === 'realPlain'
      ? CONFIGS.plain
      : `import { memgate } from ${JSON.stringify(plugin)}\nexport default { plugins: [memgate({ limit: '2 GB' })], test: { include: ['test/*.test.js'] } }`
  writeFileSync(join(dir, 'vitest.config.mjs'), `${config}\n`)
  if (kind !== 'realPlain') install(dir)
  for (let f = 0; f < REAL_FILES; f++) {
    const count = REAL_TESTS_PER_FILE[f % REAL_TESTS_PER_FILE.length]
    const tests = Array.from(
      { length: count },
      (_, t) => `test('case ${t}', () => {\n  ${realWork(f, t)}\n})`,
    )
    writeFileSync(
      join(dir, 'test', `area-${f}.test.js`),
      `import { expect, test } from 'vitest'\n\n${tests.join('\n\n')}\n`,
    )
  }
  return dir
}

function run(dir) {
  const started = process.hrtime.bigint()
  execFileSync(process.execPath, [vitestBin, 'run', '--reporter=dot'], {
    cwd: dir,
    stdio: 'pipe',
    env: { ...process.env, CI: '1' },
  })
  return Number(process.hrtime.bigint() - started) / 1e6
}

const kinds = {
  plain: 'plain Vitest',
  plugin: 'memgate() plugin, no limits',
  pluginNoGate: 'memgate({ gate: false }), no limits: the same without the regression gate (its reporter)',
  some: "memgate() plugin, limitMemory('50 MB') on the first test of each file only",
  limits: "memgate() plugin, limitMemory('50 MB') on every test (each passes on its first reading)",
  floor:
    'no plugin: the floor of measuring every test in full (2 forced full GCs + the sampling profiler, young generation pinned)',
  realPlain: `real-shaped suite (${REAL_TESTS} tests in ${REAL_FILES} files): plain Vitest`,
  realFence: `real-shaped suite: memgate({ limit: '2 GB' }), the fence on every test`,
}
// MEMGATE_BENCH_KINDS=plain,plugin runs only those rows, for trying a change: printed, BENCHMARKS.md untouched.
const only = process.env.MEMGATE_BENCH_KINDS?.split(',')
if (only)
  for (const kind of Object.keys(kinds)) if (!only.includes(kind) && kind !== 'plain') delete kinds[kind]
const dirs = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, project(kind)]))
const times = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]))
const loadBefore = loadavg()
for (const kind of Object.keys(kinds)) run(dirs[kind]) // warm-up: Vite's caches, the OS's file cache
for (let round = 0; round < rounds; round++)
  for (const kind of Object.keys(kinds)) times[kind].push(run(dirs[kind]))
const shape = dirs.realPlain ? realShape(dirs.realPlain) : undefined
for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true })

/**
 * The real-shaped suite's test durations as Vitest reports them (one plain run, JSON reporter), to compare with
 * the third-party suite's: 2,533 tests whose durations summed to 17.6 s (7 ms a test on average).
 */
function realShape(dir) {
  const file = join(dir, 'durations.json')
  execFileSync(process.execPath, [vitestBin, 'run', '--reporter=json', `--outputFile=${file}`], {
    cwd: dir,
    stdio: 'pipe',
    env: { ...process.env, CI: '1' },
  })
  const results = JSON.parse(readFileSync(file, 'utf8')).testResults
  const durations = results
    .flatMap((result) => result.assertionResults.map((test) => test.duration ?? 0))
    .sort((a, b) => a - b)
  const at = (q) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0
  const sum = durations.reduce((a, b) => a + b, 0)
  const buckets = [
    ['under 1 ms', (d) => d < 1],
    ['1–10 ms', (d) => d >= 1 && d < 10],
    ['10–100 ms', (d) => d >= 10 && d < 100],
    ['100 ms or more', (d) => d >= 100],
  ].map(([label, inBucket]) => `${label}: ${durations.filter(inBucket).length}`)
  return `Its test durations in one plain run (Vitest's JSON reporter): ${durations.length} tests, summing to ${(sum / 1000).toFixed(1)} s (${(sum / durations.length).toFixed(1)} ms a test on average; the third-party suite: 17.6 s over 2,533, 7 ms); median ${at(0.5).toFixed(1)} ms, 90th percentile ${at(0.9).toFixed(1)} ms, longest ${at(1).toFixed(0)} ms; ${buckets.join(', ')}.`
}

/** A peak limit on every test of this suite: issue 18's target. */
const LIMITS_TARGET = 2
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
/** The fence on every test of the real-shaped suite: issue 18's target. */
const FENCE_TARGET = 1.5
const base = median(times.plain)
// Absent from a partial run (MEMGATE_BENCH_KINDS) that leaves the real-shaped suite out.
const realBase = times.realPlain ? median(times.realPlain) : Number.NaN
const rows = Object.entries(kinds).map(([kind, label]) => {
  const ms = median(times[kind])
  const target =
    kind === 'plugin'
      ? 1.03
      : kind === 'limits'
        ? LIMITS_TARGET
        : kind === 'realFence'
          ? FENCE_TARGET
          : undefined
  // Each suite against its own plain run.
  const plainTimes = kind.startsWith('real') ? times.realPlain : times.plain
  const ratio = ms / (kind.startsWith('real') ? realBase : base)
  // Each round ran every row once, in turn: a round's ratio divides two runs made seconds apart, so load that
  // drifts over the benchmark's minutes moves it less than it moves the medians.
  const paired = times[kind].map((time, round) => time / plainTimes[round])
  return {
    label,
    ms,
    ratio,
    all: times[kind],
    paired,
    target,
    met: target === undefined ? '—' : ratio <= target ? `≤ ${target}×: met` : `≤ ${target}×: MISSED`,
  }
})
/** What a limit on one test per file adds: that test's measurement and its worker's pin in place. */
function someVerdict() {
  const none = rows.find((row) => row.label === kinds.plugin)
  const some = rows.find((row) => row.label === kinds.some)
  if (!none || !some) return ''
  const perFile = ((some.ms - none.ms) / FILES).toFixed(0)
  return `With no limits, the plugin runs this suite at ${none.ratio.toFixed(2)}× plain Vitest (${roundByRound(none)} round by round): no test is measured, so no worker pins its young generation. A limit on the first test of each file runs it at ${some.ratio.toFixed(2)}×, ~${perFile} ms of wall time per file (two workers at once): that test's measurement, and before it the worker's young generation pinned in place (one memory-reducing collection, paid once per worker; a fork worker runs one file here).`
}

/** A row's round-by-round ratios: their median and range. */
function roundByRound(row) {
  return `${median(row.paired).toFixed(2)}×, ${Math.min(...row.paired).toFixed(2)}–${Math.max(...row.paired).toFixed(2)}`
}

/**
 * The gate's share of the no-limits row: its reporter, reading a baseline (none here). Told apart from noise
 * only when the two rows' round-by-round ranges do not overlap.
 */
function gateVerdict() {
  const none = rows.find((row) => row.label === kinds.plugin)
  const noGate = rows.find((row) => row.label === kinds.pluginNoGate)
  if (!none || !noGate) return ''
  const apart =
    Math.min(...none.paired) > Math.max(...noGate.paired) ||
    Math.min(...noGate.paired) > Math.max(...none.paired)
  const share = apart
    ? `the gate's part of the plugin's fixed cost is the difference, ${((none.ms - noGate.ms) / 1000).toFixed(2)} s`
    : "the two ranges overlap, so these rounds cannot tell the gate's part of the plugin's fixed cost from noise"
  return `Without the regression gate (\`memgate({ gate: false })\`) the no-limits row reads ${noGate.ratio.toFixed(2)}× (${roundByRound(noGate)} round by round), with it ${none.ratio.toFixed(2)}× (${roundByRound(none)}): ${share} (its reporter; with no baseline file, no test is held to one).`
}

function floorVerdict() {
  const floor = rows.find((row) => row.label === kinds.floor)
  const limits = rows.find((row) => row.label === kinds.limits)
  if (!floor || !limits) return ''
  const perTest = ((base / (FILES * TESTS_PER_FILE)) * 1).toFixed(1)
  return `The floor of a full measurement runs this suite at ${floor.ratio.toFixed(2)}× plain Vitest: with tests this short (~${perTest} ms each, start-up included), the forced full GCs that the definitions of peak and leaked require cost more than the tests. A peak limit alone needs less: each test here passes on its first reading (its ceiling, with no GC, or a peak-only measurement: one forced full GC and the pacing, no profiler), and the limits row runs at ${(limits.ratio / floor.ratio).toFixed(2)}× the floor's time.`
}

const table = [
  '| run | median, s | ratio to plain | round by round: median (range) | all runs, s | target |',
  '| --- | ---: | ---: | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${(r.ms / 1000).toFixed(2)} | ${r.ratio.toFixed(2)}× | ${median(r.paired).toFixed(2)}× (${Math.min(...r.paired).toFixed(2)}–${Math.max(...r.paired).toFixed(2)}) | ${r.all.map((t) => (t / 1000).toFixed(2)).join(', ')} | ${r.met} |`,
  ),
]
const text = `# Benchmarks: what the plugin costs a test run

<!-- Written by bench/suite.bench.mjs on ${new Date().toISOString()}; rerun it rather than editing. -->

Whole-process runs of \`vitest run\` on two generated suites, each run ${rounds} times after one warm-up, all
alternating so that load from elsewhere lands on every row. Ratios divide medians from this same run, each
suite's rows by its own plain run; "round by round" divides each run by the plain run of its own round (made
seconds before it) and gives the median and range of those ratios: what the noise between two runs is.

- **The 500-test suite** (${FILES} files × ${TESTS_PER_FILE}; each test builds 2,000 small objects and sums
  them), five ways: the plugin's fixed cost on the shortest tests there are.
- **The real-shaped suite**: ${REAL_TESTS} tests in ${REAL_FILES} files of ${[...new Set(REAL_TESTS_PER_FILE)].join(', ')} tests (in turn), shaped as
  the third-party suite of issue 18 was (many files, short tests, a few allocation-heavy ones). Each test's
  work is drawn by a fixed formula: ${REAL_WORK.map(([share]) => `${share}%`).join(' / ')} of the tests
  respectively round-trip a small object through JSON; build 5,000 small objects; compute for ~10 ms
  allocating nothing; build and sum a 400,000-element array (~3 MB); allocate and concatenate 20 × 1 MB
  Buffers (40 MB of external memory); fill and map a 40 MB \`Float64Array\` (80 MB). Plain, and with
  \`memgate({ limit: '2 GB' })\`: a fence on every test that none comes near, as a CI user sets one.
  ${shape}

Command: \`node bench/suite.bench.mjs ${rounds}\` (from packages/vitest, after \`pnpm --filter @memgate/vitest build\`).
Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} CPUs, Node ${process.version}; load average at start
${loadBefore.map((l) => l.toFixed(2)).join(', ')}, at end ${loadavg()
  .map((l) => l.toFixed(2))
  .join(', ')}.

${table.join('\n')}

What the rows mean: "no limits" is the price of having the plugin installed (its config hooks, its runner in
each test file, the gate's reporter; no setup file, which the plugin adds only where a baseline holds tests or
the runner is another: nothing is measured, and no worker's young generation is pinned, as none measures). The plugin is installed in each
generated project's \`node_modules\` as \`pnpm add -D @memgate/vitest\` leaves it, so Vitest loads it as a
dependency; loaded by a path into this repository instead, Vite transforms it as the project's own code, which
read 1.10–1.23× in earlier runs. "On the first test of each file" is a suite where a few tests carry limits:
each worker pins its young generation in place (see the plugin README, "Pools") before its first measurement.
"limitMemory on every test" measures every test body
against a peak limit alone: each is judged first on the cheapest reading that can pass it — its ceiling (the
worker's whole heap and external memory at their highest: no GC at all) while the worker holds under half the
limit, else a peak-only measurement (one forced full GC for the baseline, the pacing; no sampling profiler, no GC
after) — and, being far within its limit, passes on it; a test near or over its limit would be measured again
in full (the plugin README, "What it costs"). The real-shaped suite's fence is far above what its workers hold:
nearly every test passes on its ceiling. "The floor" runs
without the plugin what any full per-test measurement by memgate's definitions must do around each test (a
setup file: the young generation pinned, a forced full GC before the test for the baseline and one after it
for the end reading, V8's sampling heap profiler started before and its profile taken after, which makes V8
run one more full GC): no design that meets those definitions can measure every test for less.

${someVerdict()}

${gateVerdict()}

${floorVerdict()}
`
if (only) {
  console.log(table.join('\n'))
  process.exit(0)
}
const report = join(packageDir, 'BENCHMARKS.md')
// The flake-check sections belong to scripts/gate-flake-check.mjs, the diagnosis-budget one to
// bench/diagnosis-budget.bench.mjs: carried over as they are.
const previous = existsSync(report) ? readFileSync(report, 'utf8') : ''
const kept =
  previous.match(/<!-- (gate-flake-check|diagnosis-budget):start[\s\S]*?<!-- \1:end[^>]*-->/g) ?? []
writeFileSync(report, kept.length > 0 ? `${text.trimEnd()}\n\n${kept.join('\n\n')}\n` : text)
// The repository's formatter owns Markdown tables too: let it pad them, so the file stays lint-clean.
execFileSync('npx', ['biome', 'format', '--write', report], { cwd: packageDir, stdio: 'ignore' })
console.log(table.join('\n'))
