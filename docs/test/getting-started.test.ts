import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runIsolated } from '@memgate/test-utils/isolated-run'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { guidePage, lineMatcher } from './guide-page.js'

// The getting-started guide, tried as a new user would: the packages packed with `pnpm pack`, installed with
// `pnpm add -D` into a fresh project outside the workspace, and the guide's own files (read from the page,
// not copied here) run with Vitest. The failing version must fail as the page shows, the fix must pass.

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const repoDir = resolve(docsDir, '..')
const guide = guidePage('guide/getting-started.md')
const PNPM = ['-y', 'pnpm@10.34.9']
const VITEST_VERSION = (
  JSON.parse(readFileSync(join(docsDir, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }
).version

// Persistent across runs (pnpm's store is content-addressed and safe to share); HOME is an empty folder, so no
// user configuration reaches the project and nothing depends on the runner's home directory.
const cacheDir = join(tmpdir(), 'memgate-docs-cache')
let work = ''
let app = ''
let addOutput = ''

function run(command: string, args: string[], cwd: string) {
  return runIsolated(command, args, cwd, { home: join(work, 'home'), cache: cacheDir })
}

function pnpm(args: string[], cwd: string) {
  return run('npx', [...PNPM, ...args], cwd)
}

beforeAll(async () => {
  for (const name of ['core', 'vitest'])
    if (!existsSync(join(repoDir, 'packages', name, 'dist/index.js')))
      throw new Error(`packages/${name} is not built: run \`npx -y pnpm@10.34.9 build\` first`)
  work = mkdtempSync(join(tmpdir(), 'memgate-getting-started-'))
  app = join(work, 'app')
  for (const dir of ['home', 'packages', 'app/src', 'app/test'])
    mkdirSync(join(work, dir), { recursive: true })
  for (const name of ['core', 'vitest']) {
    const packed = await pnpm(
      ['pack', '--pack-destination', join(work, 'packages')],
      join(repoDir, 'packages', name),
    )
    expect(packed.code, packed.output).toBe(0)
  }
  const tarball = (name: string) => join(work, 'packages', `memgate-${name}-0.1.0.tgz`)
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'my-app',
      private: true,
      type: 'module',
      pnpm: { overrides: { '@memgate/core': `file:${tarball('core')}` } },
    }),
  )
  const store = ['--store-dir', join(cacheDir, 'pnpm-store')]
  const added = await pnpm(['add', '-D', `vitest@${VITEST_VERSION}`, tarball('vitest'), ...store], app)
  expect(added.code, added.output).toBe(0)
  addOutput = added.output
}, 180_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('the getting-started guide, in a fresh project', () => {
  test('the packed @memgate/vitest brings the packed @memgate/core and nothing of Vitest but Vitest’s own', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))
    expect(Object.keys(manifest.devDependencies).sort()).toEqual(['@memgate/vitest', 'vitest'])
    const store = readFileSync(join(app, 'pnpm-lock.yaml'), 'utf8')
    expect(store).toMatch(/@memgate\/core@file:/)
    // Vitest 4 has its runner as a package of its own, Vitest 5 inside `vitest`: either way only Vitest's.
    const runners = new Set([...store.matchAll(/^ {2}'@vitest\/runner@([^'(]+)/gm)].map((m) => m[1]))
    expect([...runners]).toEqual(VITEST_VERSION.startsWith('4.') ? [VITEST_VERSION] : [])
    expect(addOutput).not.toMatch(/peer/i)
  })

  test('the first version fails with the message the guide shows', async () => {
    writeFileSync(join(app, 'vitest.config.ts'), guide.file('vitest.config.ts'))
    writeFileSync(join(app, 'src/csv.ts'), guide.file('src/csv.ts'))
    writeFileSync(join(app, 'test/csv.test.ts'), guide.file('test/csv.test.ts'))
    const { code, output } = await pnpm(['vitest', 'run'], app)
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
  })

  test('the fix passes, and the summary shows it within its limit', async () => {
    writeFileSync(join(app, 'vitest.config.ts'), guide.file('vitest.config.ts (with the summary)'))
    writeFileSync(join(app, 'src/csv.ts'), guide.file('src/csv.ts (fixed)'))
    const { code, output } = await pnpm(['vitest', 'run'], app)
    expect(code, output).toBe(0)
    expect(output).toMatch(/Tests {2}1 passed \(1\)/)
    const row = guide.output('pass').find((l) => l.startsWith('test/csv.test.ts > '))
    expect(row).toBeDefined()
    expect(output).toMatch(lineMatcher(row ?? ''))
    const peak = /^test\/csv\.test\.ts > .+? {2,}(\d+(?:\.\d)?) (kB|MB)/m.exec(output)
    expect(peak && (peak[2] === 'kB' || Number(peak[1]) < 5)).toBe(true)
  })
})
