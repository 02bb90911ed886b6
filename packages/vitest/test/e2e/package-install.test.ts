import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runIsolated } from '@memgate/test-utils/isolated-run'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

// The packed packages, installed as a user installs them: into fresh projects with npm and with yarn, next to
// the Vitest this workspace runs (4.1 on the Node 20 leg, 5 on the Node 24 one), with no flags. The install
// must say nothing of peers, and one limit must fail with memgate's message while the other passes.
// (pnpm is tried the same way by the getting-started guide's test in docs/.)

const repo = fileURLToPath(new URL('../../../../', import.meta.url))
const vitestManifest = JSON.parse(readFileSync(join(repo, 'node_modules/vitest/package.json'), 'utf8')) as {
  version: string
  peerDependencies: Record<string, string>
}
const VITEST = vitestManifest.version
const VITEST_PEERS = vitestManifest.peerDependencies
const cache = join(tmpdir(), 'memgate-install-cache')
let work = ''

function run(command: string, args: string[], cwd: string) {
  return runIsolated(command, args, cwd, { home: join(work, 'home'), cache: cache })
}

const tarball = (name: string) => join(work, 'packages', `memgate-${name}-0.1.0.tgz`)

/** A fresh project with one test over its limit and one within, as a user writes them. */
function project(name: string, manifest: object): string {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, private: true, type: 'module', ...manifest }),
  )
  writeFileSync(
    join(dir, 'vitest.config.ts'),
    "import { memgate } from '@memgate/vitest'\nimport { defineConfig } from 'vitest/config'\n\n" +
      'export default defineConfig({ plugins: [memgate({ gate: false })] })\n',
  )
  writeFileSync(
    join(dir, 'limits.test.ts'),
    "import { limitMemory } from '@memgate/vitest'\nimport { expect, test } from 'vitest'\n\n" +
      "test('holds 16 MB', limitMemory('4 MB'), () => {\n" +
      '  const held = new Float64Array(2_000_000).fill(1)\n  expect(held[0]).toBe(1)\n})\n\n' +
      "test('holds little', limitMemory('4 MB'), () => {\n  expect([1, 2, 3].length).toBe(3)\n})\n",
  )
  return dir
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'memgate-install-'))
  mkdirSync(join(work, 'home'))
  for (const name of ['core', 'vitest']) {
    const packed = await run(
      'npx',
      ['-y', 'pnpm@10.34.9', 'pack', '--pack-destination', join(work, 'packages')],
      join(repo, 'packages', name),
    )
    expect(packed.code, packed.output).toBe(0)
  }
}, 120_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

/** What a user sees: the install's exit and words, then `vitest run`'s. */
function expectMeasured(install: { code: number; output: string }, tested: { code: number; output: string }) {
  expect(install.code, install.output).toBe(0)
  const peerWarnings = install.output.split('\n').filter((line) => /peer|ERESOLVE/i.test(line))
  expect(peerWarnings).toEqual([])
  expect(tested.code, tested.output).toBe(1)
  expect(tested.output).toMatch(
    /MemoryLimitError: Test was limited to 4 MB of peak memory but reached 1\d(\.\d)? MB/,
  )
  expect(tested.output).toMatch(/Tests {2}1 failed \| 1 passed \(2\)/)
  expect(tested.output).toContain(`v${VITEST}`)
}

describe(`the packed packages next to vitest@${VITEST}`, () => {
  test('npm installs them with no flags and no peer warning, and the limits are measured', async () => {
    const dir = project('with-npm', { overrides: { '@memgate/core': `file:${tarball('core')}` } })
    const install = await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '-D', `vitest@${VITEST}`, tarball('vitest')],
      dir,
    )
    expectMeasured(install, await run('npx', ['vitest', 'run'], dir))
  }, 300_000)

  test('yarn installs them with no flags and no peer warning, and the limits are measured', async () => {
    const dir = project('with-yarn', { resolutions: { '@memgate/core': `file:${tarball('core')}` } })
    const yarn = ['-y', 'yarn@1.22.22']
    // yarn 1 installs no peers: a Vitest project names Vitest's own, `vite`, as Vitest's guide says.
    const vite = `vite@${VITEST_PEERS.vite}`
    const install = await run(
      'npx',
      [...yarn, 'add', '-D', `vitest@${VITEST}`, vite, `file:${tarball('vitest')}`],
      dir,
    )
    expectMeasured(install, await run('npx', [...yarn, 'vitest', 'run'], dir))
  }, 300_000)
})
