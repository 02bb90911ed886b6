// `memgate report` over 200 tests, with and without a flamegraph page each, timed as a whole process and
// reported as a ratio to the index alone measured in the same run (absolute times move with the machine's load).
// Correctness on the same input is a test: test/e2e/report-large.test.ts.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchChromium, openReport } from '../test/fixtures/report-page.js'
import { syntheticArtifacts } from '../test/fixtures/synthetic-artifacts.js'
import { best, ratio, timeMemgate } from './time-process.js'

const ROUNDS = 3
const dir = mkdtempSync(join(tmpdir(), 'memgate-report-bench-'))

function htmlBytes(folder: string): number {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.html') && !name.endsWith('index.html'))
    .reduce((total, name) => total + statSync(join(folder, name)).size, 0)
}

try {
  // Baseline: the index alone (no test over its limit, so no profiles); then a profile for every test, of the
  // size a real test's profile has (~200 frames) and ten times that.
  const folders = { none: join(dir, 'none'), typical: join(dir, 'typical'), large: join(dir, 'large') }
  syntheticArtifacts(folders.none, { tests: 200, overEvery: 1_000_000, frames: 200 })
  syntheticArtifacts(folders.typical, { tests: 200, frames: 200 })
  syntheticArtifacts(folders.large, { tests: 200, frames: 2_000 })
  const wall = { none: [] as number[], typical: [] as number[], large: [] as number[] }
  const cpu = { none: [] as number[], typical: [] as number[], large: [] as number[] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['none', 'typical', 'large'] as const) {
      const timing = timeMemgate(dir, 'report', folders[name])
      wall[name].push(timing.wallMs)
      cpu[name].push(timing.cpuMs)
    }
  }
  const browser = await launchChromium()
  let indexReadyMs = 0
  try {
    const index = await openReport(browser, join(folders.typical, 'index.html'))
    indexReadyMs = Math.round(index.readyMs)
  } finally {
    await browser.close()
  }
  const rows = (['none', 'typical', 'large'] as const).map(
    (name) =>
      `| ${name} | ${wall[name].join(', ')} | ${cpu[name].join(', ')} | ${ratio(best(cpu[name]), best(cpu.none))}× | ` +
      `${name === 'none' ? '' : `${(htmlBytes(folders[name]) / 1e6).toFixed(1)} MB`} |`,
  )
  console.log(
    [
      `memgate report, 200 tests in 20 files, ${ROUNDS} rounds (index ${Math.round(statSync(join(folders.typical, 'index.html')).size / 1000)} kB, ready in Chromium in ${indexReadyMs} ms):`,
      '',
      '| profiles | wall ms | CPU ms | best CPU / index alone | pages |',
      '| -------- | ------- | ------ | ---------------------- | ----- |',
      ...rows,
    ].join('\n'),
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
