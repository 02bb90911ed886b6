import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runIsolated } from '@memgate/test-utils/isolated-run'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { guidePage, lineMatcher } from './guide-page.js'

// The getting-started guide, tried as a new user would, once with each package manager it names: the packages
// packed with `pnpm pack`, installed into a fresh project outside the workspace with the page's own install
// command and `package.json` override, and the guide's own files (read from the page, not copied here) run
// with the page's own `vitest run` command. The failing version must fail as the page shows, the fix must pass.

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const repoDir = resolve(docsDir, '..')
const guide = guidePage('guide/getting-started.md')
const VITEST_VERSION = (
  JSON.parse(readFileSync(join(docsDir, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }
).version

const MANAGERS = ['pnpm', 'npm', 'yarn'] as const
type Manager = (typeof MANAGERS)[number]
/** How this test calls what the page calls `pnpm`, `npm` and `yarn`: pnpm and yarn come through npx. */
const MANAGER_COMMAND: Record<string, string[]> = {
  pnpm: ['npx', '-y', 'pnpm@10.34.9'],
  npm: ['npm'],
  yarn: ['npx', '-y', 'yarn@1.22.22'],
  npx: ['npx'],
}

// Persistent across runs (the package managers' caches are content-addressed and safe to share); HOME is an
// empty folder, so no user configuration reaches the project and nothing depends on the runner's home.
const cacheDir = join(tmpdir(), 'memgate-docs-cache')
let work = ''

function run(command: string, args: string[], cwd: string) {
  return runIsolated(command, args, cwd, { home: join(work, 'home'), cache: cacheDir })
}

/**
 * Runs a command line of the page as written, with the tarballs where this test packed them and Vitest at the
 * version this workspace runs (4.1 on the Node 20 leg, 5 on the Node 24 one).
 */
function runPageCommand(line: string, cwd: string) {
  const [tool = '', ...args] = line
    .replaceAll('/tmp/memgate/', `${join(work, 'packages')}/`)
    .split(/\s+/)
    .map((arg, _i, all) =>
      arg === 'vitest' && ['add', 'install'].includes(all[1] ?? '') ? `vitest@${VITEST_VERSION}` : arg,
    )
  const [command = tool, ...prefix] = MANAGER_COMMAND[tool] ?? [tool]
  const store = tool === 'pnpm' && args[0] === 'add' ? ['--store-dir', join(cacheDir, 'pnpm-store')] : []
  return run(command, [...prefix, ...args, ...store], cwd)
}

/** The tabs of `manager` in the page's code groups of `lang` whose text contains `including`. */
function tabs(lang: string, manager: Manager, including: string, count: number): string[] {
  const found = guide.tabs(lang, manager).filter((code) => code.includes(including))
  expect(found, `the ${lang} [${manager}] tabs with "${including}"`).toHaveLength(count)
  return found
}

beforeAll(async () => {
  for (const name of ['core', 'vitest'])
    if (!existsSync(join(repoDir, 'packages', name, 'dist/index.js')))
      throw new Error(`packages/${name} is not built: run \`npx -y pnpm@10.34.9 build\` first`)
  work = mkdtempSync(join(tmpdir(), 'memgate-getting-started-'))
  for (const dir of ['home', 'packages']) mkdirSync(join(work, dir), { recursive: true })
  for (const name of ['core', 'vitest']) {
    const packed = await run(
      'npx',
      ['-y', 'pnpm@10.34.9', 'pack', '--pack-destination', join(work, 'packages')],
      join(repoDir, 'packages', name),
    )
    expect(packed.code, packed.output).toBe(0)
  }
}, 180_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe.each(MANAGERS)('the getting-started guide with %s, in a fresh project', (manager) => {
  let app = ''
  let addOutput = ''
  // The page's `vitest run`: once for the first failure, once for the fix.
  const runCommands = () => tabs('sh', manager, 'vitest run', 2)

  beforeAll(async () => {
    app = join(work, manager)
    for (const dir of ['src', 'test']) mkdirSync(join(app, dir), { recursive: true })
    const override = JSON.parse(
      (tabs('json', manager, 'memgate-core', 1)[0] ?? '').replaceAll(
        '/tmp/memgate/',
        `${join(work, 'packages')}/`,
      ),
    )
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'my-app', private: true, type: 'module', ...override }),
    )
    const added = await runPageCommand(tabs('sh', manager, 'memgate-vitest', 1)[0] ?? '', app)
    expect(added.code, added.output).toBe(0)
    addOutput = added.output
  }, 300_000)

  test('the install brings the packed @memgate/core, with no word of peers', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))
    const expected =
      manager === 'yarn' ? ['@memgate/vitest', 'vite', 'vitest'] : ['@memgate/vitest', 'vitest']
    expect(Object.keys(manifest.devDependencies).sort()).toEqual(expected)
    expect(addOutput.split('\n').filter((line) => /peer|ERESOLVE/i.test(line))).toEqual([])
    if (manager !== 'pnpm') {
      // The registry has no @memgate/core: this one is the tarball's.
      const core = JSON.parse(readFileSync(join(app, 'node_modules/@memgate/core/package.json'), 'utf8'))
      expect(core.version).toBe('0.1.0')
    } else {
      const lockfile = readFileSync(join(app, 'pnpm-lock.yaml'), 'utf8')
      expect(lockfile).toMatch(/@memgate\/core@file:/)
      // Vitest 4 has its runner as a package of its own, Vitest 5 inside `vitest`: either way only Vitest's.
      const runners = new Set([...lockfile.matchAll(/^ {2}'@vitest\/runner@([^'(]+)/gm)].map((m) => m[1]))
      expect([...runners]).toEqual(VITEST_VERSION.startsWith('4.') ? [VITEST_VERSION] : [])
    }
  })

  test('the first version fails with the message the guide shows', async () => {
    writeFileSync(join(app, 'vitest.config.ts'), guide.file('vitest.config.ts'))
    writeFileSync(join(app, 'src/csv.ts'), guide.file('src/csv.ts'))
    writeFileSync(join(app, 'test/csv.test.ts'), guide.file('test/csv.test.ts'))
    const { code, output } = await runPageCommand(runCommands()[0] ?? '', app)
    expect(code, output).toBe(1)
    const shown = guide.output('fail')
    const error = shown.find((l) => l.startsWith('MemoryLimitError:')) ?? 'no MemoryLimitError in the guide'
    expect(output).toMatch(lineMatcher(error))
    // The two sites the guide explains, in its order, with their callers.
    const sites = shown.filter((l) => /^\s+\d.* \(src\/csv\.ts:\d+\)$/.test(l)).slice(0, 2)
    expect(sites).toHaveLength(2)
    const [first = -1, second = -1] = sites.map((l) => output.search(lineMatcher(l)))
    expect(first).toBeGreaterThan(-1)
    expect(second).toBeGreaterThan(first)
    const reached = /but reached (\d+(?:\.\d)?) MB/.exec(output)?.[1]
    expect(Number(reached)).toBeGreaterThan(20)
    expect(output).toMatch(/Tests {2}1 failed \(1\)/)
    // The page shows the whole output, with nothing left out: no warning (such as a source map's) either.
    expect(output).not.toMatch(/sourcemap/i)
  })

  test('the fix passes, and the summary shows it within its limit', async () => {
    writeFileSync(join(app, 'vitest.config.ts'), guide.file('vitest.config.ts (with the summary)'))
    writeFileSync(join(app, 'src/csv.ts'), guide.file('src/csv.ts (fixed)'))
    const { code, output } = await runPageCommand(runCommands()[1] ?? '', app)
    expect(code, output).toBe(0)
    expect(output).toMatch(/Tests {2}1 passed \(1\)/)
    const row = guide.output('pass').find((l) => l.startsWith('test/csv.test.ts > '))
    expect(row).toBeDefined()
    expect(output).toMatch(lineMatcher(row ?? ''))
    const peak = /^test\/csv\.test\.ts > .+? {2,}(\d+(?:\.\d)?) (kB|MB)/m.exec(output)
    expect(peak && (peak[2] === 'kB' || Number(peak[1]) < 5)).toBe(true)
    expect(output).not.toMatch(/sourcemap/i)
  })
})

// Run in the pnpm project above, after the fix: the page's test/options.test.ts, then a file of this test's
// that shows each option taking effect beside a spread limit (the page says what it shows).
describe('a limit with other test options', () => {
  const app = () => join(work, 'pnpm')
  const vitest = (file: string) =>
    run('npx', ['-y', 'pnpm@10.34.9', 'vitest', 'run', '--reporter=verbose', file], app())

  test('the page’s tests pass, each test and each case measured against its limit', async () => {
    writeFileSync(join(app(), 'test/options.test.ts'), guide.file('test/options.test.ts'))
    const { code, output } = await vitest('test/options.test.ts')
    expect(code, output).toBe(0)
    expect(output).toMatch(/Tests {2}8 passed \(8\)/)
    const rows = output
      .split('\n')
      // (The summary shortens a long row's path from the left: `…st/options.test.ts`.)
      .filter((line) => /^\S*options\.test\.ts > .* peak 10 MB +within/.test(line))
    expect(rows, output).toHaveLength(8)
    for (const name of ['1000 rows (each)', '100000 rows (each)', '1000 rows (for)', '100000 rows (for)'])
      expect(output).toContain(`test/options.test.ts > totals ${name}`)
  })

  test('timeout, retry, test.each and test.for all take effect beside a spread limit', async () => {
    writeFileSync(
      join(app(), 'test/options-check.test.ts'),
      `import { setTimeout as sleep } from 'node:timers/promises'
import { limitMemory } from '@memgate/vitest'
import { expect, test } from 'vitest'

test('timeout', { ...limitMemory('10 MB'), timeout: 100 }, async () => {
  await sleep(1_000)
})

let tries = 0
test('retry', { ...limitMemory('1 MB'), retry: 2 }, () => {
  tries++
  expect(new Float64Array(tries < 3 ? 1_000_000 : 10).fill(1)[0]).toBe(1)
})

test.each([1, 2])('each %i', limitMemory('1 MB'), (n) => {
  expect(new Float64Array(n * 1_000_000).fill(1)[0]).toBe(1)
})

test.for([1, 2])('for %i', limitMemory('1 MB'), (n) => {
  expect(new Float64Array(n * 1_000_000).fill(1)[0]).toBe(1)
})
`,
    )
    const { code, output } = await vitest('test/options-check.test.ts')
    expect(code, output).toBe(1)
    expect(output).toMatch(/Tests {2}5 failed \| 1 passed \(6\)/)
    // The timeout: the body is stopped at 100 ms, and the summary lists it as timed out, with no figures.
    expect(output).toContain('Test timed out in 100ms.')
    expect(output).toMatch(
      /^test\/options-check\.test\.ts > timeout .* peak 10 MB +timed out +body interrupted/m,
    )
    // The retry: the first two tries went over 1 MB, the third passed, and the test with it.
    expect(output).toMatch(/✓ test\/options-check\.test\.ts > retry .*\(retry x2\)/)
    expect(output).toMatch(/^test\/options-check\.test\.ts > retry .* peak 1 MB +within/m)
    // Every case: 8 MB and 16 MB of Float64Array, each over its own 1 MB limit.
    for (const name of ['each 1', 'each 2', 'for 1', 'for 2'])
      expect(output).toMatch(
        new RegExp(`^test/options-check\\.test\\.ts > ${name} .* peak 1 MB +over peak`, 'm'),
      )
    expect(output.match(/^MemoryLimitError: Test was limited to 1 MB of peak memory/gm)).toHaveLength(4)
  })
})
