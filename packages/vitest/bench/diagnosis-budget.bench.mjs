// What V8's allocation tracking does to a leak diagnosis's re-run, the figures behind src/runtime/diagnosis-budget.ts:
// real `vitest run` (forks pool, young generation pinned as memgate pins it) on generated test files, one body
// each, each file in a fresh worker. Each test measures its body's first run as memgate does (startTracking: the
// run whose time and allocated bytes the budget reads, with the code still cold), then re-runs it under leak
// tracking with allocation sites (optimized code thrown away first, as the diagnosis does) and without.
// Rewrites its own section of BENCHMARKS.md (between the diagnosis-budget markers).
//   node bench/diagnosis-budget.bench.mjs [rounds]
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

const rounds = Number(process.argv[2] ?? 3)
const packageDir = fileURLToPath(new URL('..', import.meta.url))
const coreDir = join(packageDir, '..', 'core')
const vitestBin = join(packageDir, 'node_modules', 'vitest', 'vitest.mjs')
const { RERUN_TIME_FACTOR, TRACKING_MS_PER_MB } = await import(
  new URL('../dist/runtime/diagnosis-budget.js', import.meta.url).href
)

const MEMO = `const quoteCache = new Map()
let issued = 0
const nextSku = () => \`sku-\${issued++}-eu-retail\`
function price(sku) {
  const parts = sku.split('-')
  const rows = []
  for (let i = 0; i < 60; i++) rows.push({ part: parts[i % parts.length], price: i * 1.5, tag: \`\${sku}:\${i}\` })
  const lines = rows.filter((row) => row.price > 10).map((row) => row.price)
  return { sku, total: lines.reduce((sum, line) => sum + line, 0), lines: lines.slice(0, 4) }
}
function quote(sku) {
  const known = quoteCache.get(sku)
  if (known) return known
  const made = price(sku)
  quoteCache.set(sku, made)
  return made
}`
const CHECKOUT = `class Session {
  static open = new Set()
  cart = []
  constructor(user) { this.user = user; Session.open.add(this) }
  close() { this.cart.length = 0 }
}
function checkout(user, items) {
  const session = new Session(user)
  try { session.cart.push(...items); return session.cart.length } finally { session.close() }
}
let user = 0`

/** The bodies: the memo cache of issue 17 (test/fixtures/diagnosis-budget), the leak-hunting guide's test, others. */
const BODIES = [
  {
    name: 'memo cache, 20,000 entries (issue 17)',
    setup: MEMO,
    body: 'for (let i = 0; i < 20_000; i++) quote(nextSku())',
  },
  {
    name: 'memo cache, 5,000 entries',
    setup: MEMO,
    body: 'for (let i = 0; i < 5_000; i++) quote(nextSku())',
  },
  {
    name: "5,000 checkouts, each checked with expect (the leak-hunting guide's test)",
    setup: `import { expect } from 'vitest'\n${CHECKOUT}`,
    body: `for (let i = 0; i < 5_000; i++) expect(checkout(\`user-\${user++}\`, ['book', 'pen'])).toBe(2)`,
  },
  {
    name: '5,000 checkouts',
    setup: CHECKOUT,
    body: `let items = 0; for (let i = 0; i < 5_000; i++) items += checkout(\`user-\${user++}\`, ['book', 'pen']); return items`,
  },
  {
    name: '200,000 template strings, joined',
    setup: 'const kept = []',
    body: `const parts = []; for (let i = 0; i < 200_000; i++) parts.push(\`line \${i}: \${i * 7}\`); kept.push(parts.join('\\n').slice(0, 10))`,
  },
  {
    name: '100 arrays of 10,000 small objects, 10 kept',
    setup: 'const kept = []',
    body: 'for (let r = 0; r < 100; r++) { const a = new Array(10_000); for (let i = 0; i < a.length; i++) a[i] = { i }; if (r % 10 === 0) kept.push(a) }',
  },
  {
    name: '20 JSON round trips of 3,000 items',
    setup: `const kept = []\nconst catalogue = { items: Array.from({ length: 3000 }, (_, i) => ({ id: i, name: \`item \${i}\`, tags: ["a", "b"] })) }`,
    body: 'for (let i = 0; i < 20; i++) kept.push(JSON.parse(JSON.stringify(catalogue)).items.length)',
  },
  {
    name: '30,000,000 steps of arithmetic, little allocated',
    setup: 'const kept = []',
    body: 'let x = 0; for (let i = 0; i < 30_000_000; i++) x = (x * 31 + i) | 0; kept.push({ x })',
  },
]

const HARNESS = `import { appendFileSync } from 'node:fs'
import { startLeakTracking, startTracking } from '@memgate/core'
import { test } from 'vitest'

export function timed(index, body) {
  test(String(index), async () => {
    // As memgate measures a test with a leak limit: the first run of the body, its code still cold.
    const measuring = await startTracking({ sampling: { keep: 'retained', interval: 32 * 1024 } })
    body()
    const measured = await measuring.stop()
    const rerun = async (trackAllocations) => {
      const tracking = await startLeakTracking({ trackAllocations })
      const started = performance.now()
      body()
      const ms = performance.now() - started
      tracking.stop()
      return ms
    }
    const tracked = await rerun(true)
    const untracked = await rerun(false)
    const row = { index, bodyMs: measured.durationMs, allocated: measured.allocated, tracked, untracked }
    appendFileSync(process.env.BUDGET_RESULTS, JSON.stringify(row) + '\\n')
  }, 600_000)
}
`

/** `node_modules` with core copied (so that Vite loads it as a dependency) and Vitest linked. */
function install(dir) {
  const modules = join(dir, 'node_modules')
  for (const part of ['package.json', 'dist'])
    cpSync(join(coreDir, part), join(modules, '@memgate', 'core', part), { recursive: true })
  for (const [name, from] of [
    ['vitest', packageDir],
    ['pretty-bytes', coreDir],
  ]) {
    mkdirSync(join(modules, name, '..'), { recursive: true })
    symlinkSync(realpathSync(join(from, 'node_modules', name)), join(modules, name), 'dir')
  }
}

const dir = mkdtempSync(join(tmpdir(), 'memgate-budget-'))
const results = join(dir, 'results.jsonl')
install(dir)
writeFileSync(join(dir, 'harness.js'), HARNESS)
writeFileSync(
  join(dir, 'vitest.config.mjs'),
  "export default { test: { include: ['body-*.test.js'], pool: 'forks', fileParallelism: false, execArgv: ['--max-semi-space-size=1'] } }\n",
)
BODIES.forEach(({ setup, body }, index) => {
  const file = `import { timed } from './harness.js'\n${setup}\ntimed(${index}, () => { ${body} })\n`
  writeFileSync(join(dir, `body-${index}.test.js`), file)
})
const loadBefore = loadavg()
let rows = []
try {
  for (let round = 0; round < rounds; round++) {
    execFileSync(process.execPath, [vitestBin, 'run'], {
      cwd: dir,
      env: { ...process.env, BUDGET_RESULTS: results },
      stdio: 'ignore',
    })
  }
  rows = readFileSync(results, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
const range = (values, digits = 1) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`
const runsOf = (index) => rows.filter((row) => row.index === index)
const firstRun = (index) => median(runsOf(index).map((r) => r.bodyMs)).toFixed(0)
const ratios = (index) =>
  range(
    runsOf(index).map((r) => r.tracked / r.bodyMs),
    0,
  )
const estimate = (row) => row.bodyMs * RERUN_TIME_FACTOR + (row.allocated / 1e6) * TRACKING_MS_PER_MB

const table = [
  '| body | measured run, ms | allocated, MB | tracked re-run, ms | untracked re-run, ms | tracked ÷ measured | tracked − untracked, ms per MB | estimate, ms | estimate ÷ tracked |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...BODIES.map(({ name }, index) => {
    const runs = runsOf(index)
    const perMb = runs.map((r) => (r.tracked - r.untracked) / Math.max(r.allocated / 1e6, 0.1))
    return `| ${name} | ${median(runs.map((r) => r.bodyMs)).toFixed(0)} | ${median(runs.map((r) => r.allocated / 1e6)).toFixed(1)} | ${median(runs.map((r) => r.tracked)).toFixed(0)} | ${median(runs.map((r) => r.untracked)).toFixed(0)} | ${range(runs.map((r) => r.tracked / r.bodyMs))} | ${range(perMb, 0)} | ${median(runs.map(estimate)).toFixed(0)} | ${range(runs.map((r) => estimate(r) / r.tracked))} |`
  }),
]
const section = `<!-- diagnosis-budget:start -->

## Leak diagnosis: the tracked re-run

<!-- Written by bench/diagnosis-budget.bench.mjs on ${new Date().toISOString()}; rerun it rather than editing. -->

A failing leak check re-runs the test body to diagnose it, and Vitest times that run against the test's
timeout. With V8's allocation tracking on (each kind's allocation site) the run is slower; how much, body by
body: each body in a test file of its own, in a fresh \`forks\` worker, measured on its first run as memgate
measures it (time and sampled allocated bytes, the code still cold), then re-run tracked (optimized code thrown
away first, as the diagnosis does) and untracked. Medians over ${rounds} runs of each; ranges are over all runs.
"Estimate" is what \`src/runtime/diagnosis-budget.ts\` expects the tracked re-run to take from the measured run
(${RERUN_TIME_FACTOR}× its time + ${TRACKING_MS_PER_MB} ms per MB allocated): allocation sites are tracked
when it fits in the test's timeout (and the body took under 2 s); an estimate ÷ tracked under 1 is a body it
underestimates.

Command: \`node bench/diagnosis-budget.bench.mjs ${rounds}\` (from packages/vitest, after \`pnpm build\`).
Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} CPUs, Node ${process.version}; load average at start
${loadBefore.map((l) => l.toFixed(2)).join(', ')}, at end ${loadavg()
  .map((l) => l.toFixed(2))
  .join(', ')}.

${table.join('\n')}

Time alone does not tell them apart: the memo cache of 20,000 entries and the guide's 5,000 checkouts both
ran their first run in a few hundred milliseconds (medians ${firstRun(0)} and ${firstRun(2)} ms), and tracking
made the one ${ratios(0)} times longer, the other ${ratios(2)} times. Tracking costs by allocation (V8 records
the stack of every object made), so the estimate follows the bytes allocated.

<!-- diagnosis-budget:end -->`

const report = join(packageDir, 'BENCHMARKS.md')
const previous = existsSync(report) ? readFileSync(report, 'utf8') : ''
const marked = /<!-- diagnosis-budget:start -->[\s\S]*?<!-- diagnosis-budget:end -->/
writeFileSync(
  report,
  marked.test(previous) ? previous.replace(marked, section) : `${previous.trimEnd()}\n\n${section}\n`,
)
// The repository's formatter owns Markdown tables too: let it pad them, so the file stays lint-clean.
execFileSync('npx', ['biome', 'format', '--write', report], { cwd: packageDir, stdio: 'ignore' })
console.log(table.join('\n'))
