import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runVitest } from '@memgate/test-utils'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'
import { DOCS, isCheckable, markdownFiles, snippetPlan } from '../scripts/check-snippets.mjs'

// The snippet check typechecks the blocks of the pages marked `<!-- typecheck -->`; this runs them. Pages whose
// own tests run their blocks (getting started, leak hunting, the CI gate: each has a test of its name) are
// listed as such; every other typechecked page is run here, and a new one must be added to one of the two.
const docsDir = fileURLToPath(new URL('..', import.meta.url))
const packages = join(docsDir, '..', 'packages')
const RUN_BY_THEIR_OWN_TESTS = ['guide/getting-started.md', 'guides/leak-hunting.md', 'guides/ci-gate.md']
const RUN_HERE = ['index.md', 'concepts.md', 'guides/core-without-vitest.md', 'guides/benchmarks.md']
const PATH_COMMENT = /^\/\/ ([\w@./-]+\.ts)$/

test('every typechecked page of the docs is run, here or by its own test', () => {
  const files = DOCS.flatMap((target) => (target.endsWith('.md') ? [target] : markdownFiles(target)))
  const typechecked = files
    .filter((file) => isCheckable(readFileSync(file, 'utf8')))
    .map((file) => relative(join(docsDir, 'src'), file))
  expect(typechecked.sort()).toEqual([...RUN_BY_THEIR_OWN_TESTS, ...RUN_HERE].sort())
})

/** The ```ts blocks of a page: those that start with a path comment as files, the others as they are. */
function pageBlocks(page: string): { files: Map<string, string>; loose: string[] } {
  const files = new Map<string, string>()
  const loose: string[] = []
  for (const block of snippetPlan(readFileSync(join(docsDir, 'src', page), 'utf8'))) {
    const path = PATH_COMMENT.exec(block.code.split('\n')[0] ?? '')?.[1]
    if (path) files.set(path, block.code)
    else loose.push(block.code)
  }
  return { files, loose }
}

/** A folder with the packages a reader of the docs installs, as links into this repository's builds. */
function project(links: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'memgate-snippets-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  for (const [name, target] of Object.entries(links)) {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true })
    symlinkSync(realpathSync(target), join(dir, 'node_modules', name), 'dir')
  }
  return dir
}

/** Writes a TypeScript file as the JavaScript Node runs: types stripped, imports of `.js` siblings as written. */
function writeAsJavaScript(dir: string, path: string, code: string): void {
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  })
  const file = join(dir, path.replace(/\.ts$/, '.js'))
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, outputText)
}

function node(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 })
  return { code: result.status, output: `${result.stdout}${result.stderr}` }
}

describe('the pages whose blocks run here', () => {
  test('index.md: its config and test file run under Vitest, each test measured against its limit', async () => {
    const { files } = pageBlocks('index.md')
    expect([...files.keys()].sort()).toEqual(['test/limits.test.ts', 'vitest.config.ts'])
    const dir = project({
      vitest: join(packages, 'vitest', 'node_modules', 'vitest'),
      '@memgate/vitest': join(packages, 'vitest'),
    })
    for (const [path, code] of files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), code)
    }
    const run = await runVitest(`${dir}/`)
    expect(run.moduleErrors).toEqual([])
    expect(run.tests.map((t) => [t.name, t.state])).toEqual([
      ['streams the sequence', 'passed'],
      ['releases its sessions', 'passed'],
    ])
    expect(run.tests.map((t) => (t.meta as { memgate?: { limits?: unknown } }).memgate?.limits)).toEqual([
      { peak: 10_000_000 },
      { leaks: 64_000 },
    ])
  })

  test('concepts.md: each size it parses and formats is what its comment says', () => {
    const { loose } = pageBlocks('concepts.md')
    expect(loose).toHaveLength(1)
    const dir = project({ '@memgate/core': join(packages, 'core') })
    // Each `expression // value` line is checked: the value is the comment up to its first `:`.
    const lines = (loose[0] ?? '').split('\n').map((line) => {
      const claim = /^(\S.*?) \/\/ ([^:]+)/.exec(line)
      if (!claim) return line
      const [, expression, value] = claim
      return `check(${JSON.stringify(expression)}, ${expression}, ${(value ?? '').trim()})`
    })
    const checks = lines.filter((line) => line.startsWith('check(')).length
    expect(checks).toBeGreaterThanOrEqual(5)
    writeAsJavaScript(
      dir,
      'concepts.ts',
      `${lines.join('\n')}\nfunction check(what: string, got: unknown, want: unknown) {\n` +
        "  if (got !== want) throw new Error(what + ' is ' + JSON.stringify(got) + ', the page says ' + JSON.stringify(want))\n" +
        '}\n',
    )
    expect(node(dir, 'concepts.js')).toEqual({ code: 0, output: '' })
  })

  test('guides/core-without-vitest.md: its test passes under node --test, its script and benchmark run', () => {
    const { files, loose } = pageBlocks('guides/core-without-vitest.md')
    expect(loose).toEqual([])
    expect([...files.keys()].sort()).toEqual([
      'bench/csv.bench.ts',
      'scripts/memory-report.ts',
      'src/csv.ts',
      'test/csv-memory.test.ts',
    ])
    const dir = project({
      '@memgate/core': join(packages, 'core'),
      tinybench: join(packages, 'core', 'node_modules', 'tinybench'),
    })
    for (const [path, code] of files) writeAsJavaScript(dir, path, code)
    const flags = ['--max-semi-space-size=1']
    // TAP on every Node (Node 24's default reporter is another).
    const tested = node(dir, ...flags, '--test', '--test-reporter=tap', 'test/csv-memory.test.js')
    expect(tested.code, tested.output).toBe(0)
    expect(tested.output).toMatch(/# pass 1\n/)
    const report = node(dir, ...flags, 'scripts/memory-report.js')
    expect(report.code, report.output).toBe(0)
    expect(report.output).toMatch(/^peak [\d.]+ [kM]?B \(JS heap .*\), allocated .*, leaked .*\n/)
    expect(report.output).toMatch(/\nspan: peak [\d.]+ MB, leaked [\d.]+ MB \(100 arrays kept\)\n/)
    const bench = node(dir, ...flags, 'bench/csv.bench.js')
    expect(bench.code, bench.output).toBe(0)
    expect(bench.output).toMatch(/split and reduce/)
    expect(bench.output).toMatch(/in place/)
  })

  test('guides/benchmarks.md: its tinybench script runs, each task measured in a child, the memory columns printed', () => {
    const { files, loose } = pageBlocks('guides/benchmarks.md')
    expect(loose).toEqual([])
    // parse.bench.ts is Vitest 4's `vitest bench`, which @memgate/vitest's bench-memory test runs.
    expect([...files.keys()].sort()).toEqual(['bench/csv.bench.ts', 'parse.bench.ts'])
    const dir = project({
      '@memgate/core': join(packages, 'core'),
      tinybench: join(packages, 'core', 'node_modules', 'tinybench'),
    })
    writeAsJavaScript(dir, 'bench/csv.bench.ts', files.get('bench/csv.bench.ts') ?? '')
    // Started as the page starts it: without the flag, so the memory passes run in children.
    const bench = node(dir, 'bench/csv.bench.js')
    expect(bench.code, bench.output).toBe(0)
    expect(bench.output).toMatch(/Allocated\/op.*Peak memory.*Retained/)
    expect(bench.output).toMatch(/'split and reduce' │ \d+ +│ '[\d.]+ MB' +│/)
    expect(bench.output).toMatch(/'in place' +│ \d+ +│ '[\d.]+ kB' +│/)
  })
})
