import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, openReport } from '../fixtures/report-page.js'
import { syntheticArtifacts } from '../fixtures/synthetic-artifacts.js'

const bin = fileURLToPath(new URL('../../dist/main.js', import.meta.url))
let dir: string
let browser: Browser

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-report-perf-'))
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

/** `memgate report` as a whole process: wall and CPU milliseconds (CPU is less moved by a loaded machine). */
function timeReport(folder: string) {
  const started = performance.now()
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, bin, 'report', folder], {
    encoding: 'utf8',
  })
  const wallMs = performance.now() - started
  expect(result.status).toBe(0)
  const [user = 0, system = 0] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number)
  return { wallMs: Math.round(wallMs), cpuMs: Math.round((user + system) * 1000) }
}

function htmlBytes(folder: string): number {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.html') && !name.endsWith('index.html'))
    .reduce((total, name) => total + statSync(join(folder, name)).size, 0)
}

test('the cost of memgate report over 200 tests, with and without a flamegraph each', async () => {
  // Baseline: the index alone (no test over its limit, so no profiles); then a profile for every test, of
  // the size a real test's profile has (~200 frames) and ten times that.
  const none = join(dir, 'none')
  syntheticArtifacts(none, { tests: 200, overEvery: 1_000_000, frames: 200 })
  const typical = join(dir, 'typical')
  syntheticArtifacts(typical, { tests: 200, frames: 200 })
  const large = join(dir, 'large')
  syntheticArtifacts(large, { tests: 200, frames: 2_000 })
  const runs = { none: [] as number[], typical: [] as number[], large: [] as number[] }
  const cpu = { none: [] as number[], typical: [] as number[], large: [] as number[] }
  for (let i = 0; i < 3; i++) {
    for (const [name, folder] of Object.entries({ none, typical, large }) as [keyof typeof runs, string][]) {
      const { wallMs, cpuMs } = timeReport(folder)
      runs[name].push(wallMs)
      cpu[name].push(cpuMs)
    }
  }
  const best = (values: number[]) => Math.min(...values)
  const index = await openReport(browser, join(typical, 'index.html'))
  expect(index.errors).toEqual([])
  expect(await index.page.locator('#tests tbody tr').count()).toBe(200)
  expect(await index.page.locator('#tests a[data-link="page"]').count()).toBe(200)
  await index.page.locator('#tests a[data-link="page"]').first().click()
  await index.page.waitForSelector('html[data-ready]')
  expect(index.errors).toEqual([])
  const figures = {
    wallMs: { none: runs.none, typical: runs.typical, large: runs.large },
    cpuMs: { none: cpu.none, typical: cpu.typical, large: cpu.large },
    ratioToIndexOnly: {
      typical: +(best(cpu.typical) / best(cpu.none)).toFixed(1),
      large: +(best(cpu.large) / best(cpu.none)).toFixed(1),
    },
    indexKB: Math.round(statSync(join(typical, 'index.html')).size / 1000),
    pagesMB: { typical: +(htmlBytes(typical) / 1e6).toFixed(1), large: +(htmlBytes(large) / 1e6).toFixed(1) },
    indexReadyMs: Math.round(index.readyMs),
  }
  console.log(`memgate report, 200 tests: ${JSON.stringify(figures)}`)
  await index.page.close()
}, 300_000)
