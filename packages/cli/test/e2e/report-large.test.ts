import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, memgate, openReport } from '../fixtures/report-page.js'
import { syntheticArtifacts } from '../fixtures/synthetic-artifacts.js'

// What `memgate report` costs on this input: bench/report.bench.ts (timings are not asserted in tests).
let dir: string
let browser: Browser

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-report-large-'))
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

/** The test pages a report wrote (every HTML file but the index). */
function pages(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.html') && !name.endsWith('index.html'))
    .sort()
}

test('200 tests, each over its limit with a 2,000-frame profile: an index of 200 rows, a page for each', async () => {
  const large = join(dir, 'large')
  const summary = syntheticArtifacts(large, { tests: 200, frames: 2_000 })
  expect(memgate(dir, 'report', large)).toMatchObject({ code: 0, stderr: '' })
  const written = pages(large)
  expect(written).toHaveLength(200)
  // Each page is its test's, with its own flamegraph's data.
  const names = summary.tests.map((entry) => entry.name)
  for (const page of [written[0], written[199]]) {
    const html = readFileSync(join(large, page ?? ''), 'utf8')
    expect(
      names.some((name) => html.includes(name)),
      page,
    ).toBe(true)
  }
  const index = await openReport(browser, join(large, 'index.html'))
  expect(index.errors).toEqual([])
  expect(await index.page.locator('#tests tbody tr').count()).toBe(200)
  expect(await index.page.locator('#tests a[data-link="page"]').count()).toBe(200)
  await index.page.locator('#tests a[data-link="page"]').first().click()
  await index.page.waitForSelector('html[data-ready]')
  expect(index.errors).toEqual([])
  await index.page.close()
}, 120_000)

test('200 tests, one over its limit: the index and that one page', () => {
  const none = join(dir, 'none')
  syntheticArtifacts(none, { tests: 200, overEvery: 1_000_000, frames: 200 })
  // overEvery 1,000,000: only the first test is over its limit.
  expect(memgate(dir, 'report', none)).toMatchObject({ code: 0, stderr: '' })
  expect(pages(none)).toHaveLength(1)
})
