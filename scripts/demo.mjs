// The main job: runs each example's exercise suite under memgate — the naive version, which must go over its
// memory or leak limit, and the fixed one, which must stay within — renders `memgate report` (an index of the
// measured tests with a flamegraph of each failure) for every run, prints a summary, and exits 0 only when
// every outcome is the expected one. The naive version is the exercise as shipped, from its frozen copy in
// test/fixtures/unsolved/, never the learner's file: a learner who has solved an exercise in place gets the
// same outcomes. `node scripts/demo.mjs fibonacci orders` runs those examples only.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, relative } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { createVitest } from 'vitest/node'
import { formatSize } from '../packages/core/dist/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, '.memgate', 'demo')
const cli = join(root, 'packages', 'cli', 'dist', 'main.js')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

/** The exercises: which suite to run, with which environment, and what must happen. */
const cases = [
  {
    example: 'fibonacci',
    exercise: 'a list that should be a generator',
    suite: 'test/exercise-memory.test.ts',
    script: 'src/main.ts',
    versions: [
      { name: 'naive', env: { FIBONACCI: 'exercise' }, frozen: true, expect: 'failed' },
      { name: 'fixed', env: { FIBONACCI: 'solution' }, expect: 'passed' },
    ],
  },
  {
    example: 'bulk-downloads',
    exercise: 'a download job that reads the whole catalogue and buffers every file',
    suite: 'test/download-memory.test.ts',
    versions: [
      { name: 'naive', env: { DOWNLOADER: 'naive' }, frozen: true, expect: 'failed' },
      { name: 'fixed', env: { DOWNLOADER: 'fixed' }, expect: 'passed' },
    ],
  },
  {
    example: 'orders',
    exercise: 'a gateway whose sessions and cache grow with every request',
    suite: 'test/gateway-leaks.test.ts',
    versions: [
      { name: 'naive', env: { ORDERS_VARIANT: 'leaky' }, frozen: true, expect: 'failed' },
      { name: 'fixed', env: { ORDERS_VARIANT: 'fixed' }, expect: 'passed' },
    ],
  },
]

const names = cases.map((c) => c.example)
const chosen = process.argv.slice(2)
const unknown = chosen.filter((name) => !names.includes(name))
if (unknown.length > 0) {
  console.error(
    `demo: no example named ${unknown.map((n) => `"${n}"`).join(', ')}; pick from ${names.join(', ')}`,
  )
  process.exit(2)
}

// The plugin's summary (and so `memgate report`) for every run, without editing the examples' configs.
process.env.MEMGATE_SUMMARY = '1'

/** Files a scratch copy leaves out: installed packages (linked instead), and what runs leave behind. */
const SKIPPED = new Set(['node_modules', '.memgate', '.turbo'])

/**
 * A scratch copy of the example with its frozen exercise files (test/fixtures/unsolved/, at the same paths)
 * over the learner's; a path in a new temporary folder. The same copy as @memgate/test-utils' scratchCopy,
 * which this script cannot import: it runs on plain Node, without a TypeScript loader.
 */
function unsolvedCopy(dir) {
  const frozen = join(dir, 'test', 'fixtures', 'unsolved')
  if (!existsSync(frozen)) throw new Error(`demo: no frozen copy of the exercise in ${frozen}`)
  // At the same depth as in the repository, beside the base tsconfig the example's extends.
  const top = mkdtempSync(join(tmpdir(), `memgate-demo-${basename(dir)}-`))
  const copy = join(top, 'examples', basename(dir))
  cpSync(join(root, 'tsconfig.base.json'), join(top, 'tsconfig.base.json'))
  cpSync(dir, copy, { recursive: true, filter: (source) => !SKIPPED.has(basename(source)) })
  symlinkSync(join(dir, 'node_modules'), join(copy, 'node_modules'), 'dir')
  cpSync(frozen, copy, { recursive: true })
  return { dir: copy, remove: () => rmSync(top, { recursive: true, force: true }) }
}

/** Runs one suite with real Vitest, silently, and returns its tests' states, errors and memgate results. */
async function runSuite(dir, suite, env) {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() })
  const vitest = await createVitest(
    'test',
    {
      root: dir,
      config: join(dir, 'vitest.config.ts'),
      include: [suite],
      watch: false,
      reporters: [{}],
      env,
    },
    {},
    { stdout: sink, stderr: sink },
  )
  try {
    const { testModules } = await vitest.start()
    return testModules.flatMap((module) =>
      [...module.children.allTests()].map((test) => ({
        name: test.name,
        state: test.result().state,
        error: test.result().errors?.[0]?.message.split('\n')[0],
        result: test.meta().memgateResult,
      })),
    )
  } finally {
    await vitest.close()
  }
}

/** `memgate report` on the run's artifacts, copied aside first: the next run of the example writes there too. */
function report(dir, name) {
  const artifacts = join(dir, '.memgate')
  if (!existsSync(join(artifacts, 'summary.json'))) return undefined
  const kept = join(out, name)
  cpSync(artifacts, kept, { recursive: true })
  const html = join(kept, 'index.html')
  execFileSync(process.execPath, [cli, 'report', kept, '-o', html], { cwd: dir, stdio: 'ignore' })
  return html
}

/** `memgate run` then `memgate flamegraph`: the workshop's way to see where a whole program's memory went. */
function flamegraph(dir, script, env, name) {
  const capture = join(out, `${name}.json`)
  execFileSync(process.execPath, [cli, 'run', '-q', '-o', capture, script], {
    cwd: dir,
    env: { ...process.env, ...env },
  })
  const html = join(out, `${name}.html`)
  execFileSync(process.execPath, [cli, 'flamegraph', capture, '-o', html], { cwd: dir })
  return html
}

const rows = []
for (const { example, exercise, suite, script, versions } of cases) {
  if (chosen.length > 0 && !chosen.includes(example)) continue
  const learners = join(root, 'examples', example)
  console.log(`\n${example} — ${exercise}`)
  for (const version of versions) {
    const name = `${example}-${version.name}`
    const scratch = version.frozen ? unsolvedCopy(learners) : undefined
    const dir = scratch?.dir ?? learners
    rmSync(join(dir, '.memgate'), { recursive: true, force: true })
    let tests, index, html
    try {
      tests = await runSuite(dir, suite, version.env)
      index = report(dir, name)
      html = script ? flamegraph(dir, script, version.env, name) : undefined
    } finally {
      scratch?.remove()
    }
    for (const test of tests) {
      const { peak, allocated, leaked, limits = {} } = test.result ?? {}
      const ok = test.state === version.expect
      rows.push(ok)
      const figures = [
        peak === undefined ? undefined : `peak ${formatSize(peak)}`,
        limits.peak === undefined ? undefined : `of ${formatSize(limits.peak)} allowed`,
        allocated === undefined ? undefined : `allocated ${formatSize(allocated)}`,
        leaked === undefined ? undefined : `leaked ${formatSize(leaked)}`,
        limits.leaks === undefined ? undefined : `of ${formatSize(limits.leaks)} allowed`,
      ].filter(Boolean)
      const source = version.frozen ? ' (as shipped: test/fixtures/unsolved/)' : ''
      console.log(`  ${ok ? '✓' : '✗'} ${version.name}${source}: ${test.name}`)
      console.log(`      ${test.state} (expected ${version.expect}); ${figures.join(', ')}`)
      if (test.error) console.log(`      memgate: ${test.error}`)
    }
    if (index) console.log(`      report: ${relative(root, index)}`)
    if (html) console.log(`      flamegraph of ${script}: ${relative(root, html)}`)
  }
}
const failed = rows.filter((ok) => !ok).length
console.log(`\n${rows.length - failed} of ${rows.length} outcomes as expected`)
process.exitCode = failed === 0 && rows.length > 0 ? 0 : 1
