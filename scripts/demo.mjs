// The main job: runs each example's exercise suite under memgate — the naive version, which must go over its
// memory or leak limit, and the fixed one, which must stay within — renders `memgate report` (an index of the
// measured tests with a flamegraph of each failure) for every run, prints a summary, and exits 0 only when
// every outcome is the expected one.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
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
      { name: 'naive', env: { FIBONACCI: 'exercise' }, expect: 'failed' },
      { name: 'fixed', env: { FIBONACCI: 'solution' }, expect: 'passed' },
    ],
  },
  {
    example: 'bulk-downloads',
    exercise: 'a download job that reads the whole catalogue and buffers every file',
    suite: 'test/download-memory.test.ts',
    versions: [
      { name: 'naive', env: { DOWNLOADER: 'naive' }, expect: 'failed' },
      { name: 'fixed', env: { DOWNLOADER: 'fixed' }, expect: 'passed' },
    ],
  },
  {
    example: 'orders',
    exercise: 'a gateway whose sessions and cache grow with every request',
    suite: 'test/gateway-leaks.test.ts',
    versions: [
      { name: 'naive', env: { ORDERS_VARIANT: 'leaky' }, expect: 'failed' },
      { name: 'fixed', env: { ORDERS_VARIANT: 'fixed' }, expect: 'passed' },
    ],
  },
]

// The plugin's summary (and so `memgate report`) for every run, without editing the examples' configs.
process.env.MEMGATE_SUMMARY = '1'

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
  const dir = join(root, 'examples', example)
  console.log(`\n${example} — ${exercise}`)
  for (const version of versions) {
    const name = `${example}-${version.name}`
    rmSync(join(dir, '.memgate'), { recursive: true, force: true })
    const tests = await runSuite(dir, suite, version.env)
    const index = report(dir, name)
    const html = script ? flamegraph(dir, script, version.env, name) : undefined
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
      console.log(`  ${ok ? '✓' : '✗'} ${version.name}: ${test.name}`)
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
