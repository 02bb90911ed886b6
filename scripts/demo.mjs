// The main job: runs the examples' exercise suites under memgate — the naive versions, which must go over
// their memory limits, and the fixed ones, which must stay within — renders a flamegraph of each, prints a
// summary, and exits 0 only when every outcome is the expected one.
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { createVitest } from 'vitest/node'
import { formatSize } from '../packages/core/dist/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, '.memgate', 'demo')
const cli = join(root, 'packages', 'cli', 'dist', 'main.js')
mkdirSync(out, { recursive: true })

/** The exercises: which suite to run, with which environment, and what must happen. */
const cases = [
  {
    example: 'fibonacci',
    exercise: 'Exercise 1: a list that should be a generator',
    suite: 'test/exercise-memory.test.ts',
    script: 'src/main.ts',
    versions: [
      { name: 'naive (exercise)', env: { FIBONACCI: 'exercise' }, expect: 'failed' },
      { name: 'fixed (solution)', env: { FIBONACCI: 'solution' }, expect: 'passed' },
    ],
  },
]

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

/** `memgate run` then `memgate flamegraph`: the workshop's way to see where the memory went. */
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
    const tests = await runSuite(dir, suite, version.env)
    const html = flamegraph(dir, script, version.env, `${example}-${version.env.FIBONACCI}`)
    for (const test of tests) {
      const limit = test.result?.limits?.peak
      const ok = test.state === version.expect
      rows.push(ok)
      console.log(
        `  ${ok ? '✓' : '✗'} ${version.name}: ${test.name}\n` +
          `      ${test.state} (expected ${version.expect}); peak ${formatSize(test.result?.peak ?? 0)}` +
          `${limit === undefined ? '' : ` of ${formatSize(limit)} allowed`}, allocated ${formatSize(test.result?.allocated ?? 0)}\n` +
          (test.error ? `      memgate: ${test.error}\n` : '') +
          `      flamegraph: ${html}`,
      )
    }
  }
}
const failed = rows.filter((ok) => !ok).length
console.log(`\n${rows.length - failed} of ${rows.length} outcomes as expected`)
process.exitCode = failed === 0 && rows.length > 0 ? 0 : 1
