import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

// `vitest bench` as a user runs it, with the plugin: Vitest 4's benchmark mode on test/fixtures/bench, Vitest 5's
// benchmark project (benches inside tests, through memgate's benchmark provider) on test/fixtures/bench-tests.
// Each major runs the half of its API.

const require = createRequire(import.meta.url)
const VITEST_BIN = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs')
const VITEST_MAJOR = Number((require('vitest/package.json') as { version: string }).version.split('.')[0])
const FIXTURE = fileURLToPath(new URL('../fixtures/bench/', import.meta.url))
const FIXTURE_5 = fileURLToPath(new URL('../fixtures/bench-tests/', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'memgate-bench-e2e-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

interface Memory {
  iterations: number
  allocatedPerOp: number
  peak: number
  retained: number
  youngGenerationPinned: boolean
}
interface Report {
  files: { groups: { benchmarks: { id: string; name: string; hz: number; memory?: Memory }[] }[] }[]
}

function bench(args: string[], env: Record<string, string> = {}, cwd = FIXTURE) {
  const result = spawnSync(process.execPath, [VITEST_BIN, 'bench', '--run', ...args], {
    cwd,
    env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
  })
  return { status: result.status, output: stripVTControlCharacters(`${result.stdout}${result.stderr}`) }
}

function benchmarks(path: string) {
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report
  return report.files.flatMap((file) => file.groups.flatMap((group) => group.benchmarks))
}

describe.skipIf(VITEST_MAJOR >= 5)('vitest bench with the plugin', () => {
  const first = join(work, 'first.json')
  let run = { status: null as number | null, output: '' }
  beforeAll(() => {
    run = bench(['--outputJson', first])
  })

  test('passes, and prints a memory table beside the time table', () => {
    expect(run.status, run.output).toBe(0)
    expect(run.output).toMatch(/memgate: memory of arrays\.bench\.ts > arrays \(.*young generation pinned\)/)
    expect(run.output).toMatch(/name\s+allocated\/op\s+peak\s+retained\s+iterations/)
    expect(run.output).toMatch(/light\s+\d+(\.\d)? B\s/)
    expect(run.output).toMatch(/heavy\s+\d+(\.\d)? kB\s/)
  })

  test("--outputJson holds each bench's memory: heavy allocates ~100× more per operation than light", () => {
    const [light, heavy] = ['light', 'heavy'].map(
      (name) => benchmarks(first).find((b) => b.name === name)?.memory,
    )
    if (!light || !heavy) throw new Error(`no memory in ${readFileSync(first, 'utf8').slice(0, 2000)}`)
    expect(heavy.allocatedPerOp / light.allocatedPerOp).toBeGreaterThan(50)
    expect(heavy.allocatedPerOp / light.allocatedPerOp).toBeLessThan(200)
    expect(light.youngGenerationPinned).toBe(true)
    expect(light.iterations).toBeGreaterThan(1000)
    expect(heavy.retained).toBeLessThan(256 * 1024)
  })

  test('--compare shows each memory figure against the compared file', () => {
    const compared = bench(['--compare', first])
    expect(compared.status, compared.output).toBe(0)
    expect(compared.output).toMatch(/heavy\s+\d+(\.\d)? kB \(\d\.\d\d×\)/)
  })

  test('a limit on a bench fails the run, naming the bench, the figure and the limit', () => {
    const limited = bench(['--outputJson', join(work, 'limited.json')], { BENCH_LIMIT: 'heavy' })
    expect(limited.status).toBe(1)
    expect(limited.output).toContain('BenchMemoryLimitError')
    expect(limited.output).toMatch(/task "heavy": peak \d+(\.\d)? MB, over its limit of 1 MB/)
    expect(limited.output).toMatch(/task "heavy": retained \d+(\.\d)? MB, over its limit of 1 kB/)
    expect(limited.output).not.toMatch(/task "light"/)
  })
})

describe.runIf(VITEST_MAJOR >= 5)('vitest bench with the plugin, Vitest 5: benches inside a test', () => {
  let run = { status: null as number | null, output: '' }
  beforeAll(() => {
    run = bench([], {}, FIXTURE_5)
  })

  test("passes: the test reads each bench's memory from bench.compare()'s results (heavy > 50× light)", () => {
    expect(run.status, run.output).toBe(0)
  })

  test('prints a memory table after the test', () => {
    expect(run.output).toMatch(/memgate: memory of arrays\.bench\.ts > arrays \(.*young generation pinned\)/)
    expect(run.output).toMatch(/light\s+\d+(\.\d)? B\s/)
    expect(run.output).toMatch(/heavy\s+\d+(\.\d)? kB\s/)
  })

  test("a limit in a bench's options fails the test, naming the bench, the figure and the limit", () => {
    const limited = bench([], { BENCH_LIMIT: 'heavy' }, FIXTURE_5)
    expect(limited.status).toBe(1)
    expect(limited.output).toContain('BenchMemoryLimitError')
    expect(limited.output).toMatch(/task "heavy": peak \d+(\.\d)? MB, over its limit of 1 MB/)
  })
})
