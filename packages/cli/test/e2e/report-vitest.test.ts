import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatSize } from '@memgate/core'
import type { Summary } from '@memgate/core/internal'
import { type FixtureRun, runVitest } from '@memgate/test-utils'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchChromium, memgate, type OpenedReport, openReport } from '../fixtures/report-page.js'

const IMG = '<img src=x onerror=alert(1)>'
const fixture = fileURLToPath(new URL('../fixtures/report-project/', import.meta.url))
const packages = fileURLToPath(new URL('../../../', import.meta.url))
const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url))

let root: string
let run: FixtureRun
let summary: Summary
let browser: Browser
let index: OpenedReport
let page: Page

/** A project as a user has it: its files, and @memgate/vitest and vitest installed in its node_modules. */
function installProject(): string {
  const dir = `${mkdtempSync(join(tmpdir(), 'memgate-report-'))}/`
  cpSync(fixture, dir, { recursive: true })
  mkdirSync(join(dir, 'node_modules', '@memgate'), { recursive: true })
  symlinkSync(join(packages, 'vitest'), join(dir, 'node_modules', '@memgate', 'vitest'), 'dir')
  const vitest = realpathSync(join(packages, 'cli', 'node_modules', 'vitest'))
  symlinkSync(vitest, join(dir, 'node_modules', 'vitest'), 'dir')
  return dir
}

const rowOf = (name: string) => page.locator('#tests tbody tr', { hasText: name })
const cells = async (name: string) =>
  Object.fromEntries(
    await rowOf(name)
      .locator('td')
      .evaluateAll((tds) => tds.map((td) => [td.className.split(' ').at(-1), td.textContent])),
  )

beforeAll(async () => {
  root = installProject()
  run = await runVitest(root)
  expect(run.moduleErrors).toEqual([])
  expect(Object.fromEntries(run.tests.map((t) => [t.name, t.state]))).toEqual({
    [IMG]: 'failed',
    'stays within its limit': 'passed',
    'a cache > keeps what it loads': 'failed',
    'has no limit': 'passed',
  })
  summary = JSON.parse(readFileSync(join(root, '.memgate', 'summary.json'), 'utf8'))
  const result = memgate(root, 'report')
  expect(result).toMatchObject({ code: 0, stdout: `${join(root, '.memgate', 'index.html')}\n`, stderr: '' })
  browser = await launchChromium()
  index = await openReport(browser, join(root, '.memgate', 'index.html'))
  page = index.page
}, 180_000)

afterAll(async () => {
  await browser?.close()
})

describe('memgate report on a real Vitest run', () => {
  test('lists every measured test with its figures, limit and verdict, as summary.json has them', async () => {
    expect(index.errors).toEqual([])
    expect(await page.locator('#tests tbody tr').count()).toBe(4)
    expect(await page.locator('#note').textContent()).toBe('4 measured tests, highest peak first.')
    for (const entry of summary.tests) {
      const row = await cells(entry.name)
      expect(row).toMatchObject({
        test: `${entry.file}${entry.name}`,
        num: formatSize(entry.leaked),
        verdict: entry.verdict,
      })
      const sizes = await rowOf(entry.name).locator('td.num').allTextContents()
      expect(sizes).toEqual([formatSize(entry.peak), formatSize(entry.allocated), formatSize(entry.leaked)])
    }
    expect(await cells(IMG)).toMatchObject({ limit: 'peak 5 MB', verdict: 'over peak' })
    expect(await cells('stays within its limit')).toMatchObject({ limit: 'peak 50 MB', verdict: 'within' })
    expect(await cells('keeps what it loads')).toMatchObject({ limit: 'leaks 64 kB', verdict: 'over leaks' })
    expect(await cells('has no limit')).toMatchObject({ limit: '-', verdict: 'no limit', links: '-' })
    expect(await cells(IMG)).toMatchObject({
      top: expect.stringMatching(/^holdRows \(src\/rows\.test\.ts:\d+\)/),
    })
  })

  test('links a flamegraph for the tests over a limit only', async () => {
    const links = page.locator('#tests a[data-link="page"]')
    expect(await links.count()).toBe(2)
    expect(await rowOf(IMG).locator('a[data-link="page"]').getAttribute('href')).toBe(
      'src/rows.test.ts/img_src_x_onerror_alert_1.html',
    )
    expect(await rowOf('within its limit').locator('a').count()).toBe(0)
    // A leak failure's heap snapshot, when the plugin wrote one, is linked too.
    const snapshot = join(root, '.memgate', 'src', 'rows.test.ts', 'a_cache_keeps_what_it_loads.heapsnapshot')
    expect(await rowOf('keeps what it loads').locator('a[data-link="snapshot"]').count()).toBe(
      existsSync(snapshot) ? 1 : 0,
    )
  })

  test('shows a test named like markup as text, and runs none of it', async () => {
    expect(await rowOf(IMG).locator('.name').textContent()).toBe(IMG)
    expect(await page.locator('img').count()).toBe(0)
    expect(index.dialogs).toEqual([])
    mkdirSync(artifacts, { recursive: true })
    await page.screenshot({ path: join(artifacts, 'report-index.png'), fullPage: true })
  })

  test('filters and sorts the rows', async () => {
    await page.check('#over-only')
    expect(await page.locator('#tests tbody tr').count()).toBe(2)
    expect(await page.locator('#shown').textContent()).toBe('2 of 4 shown')
    await page.uncheck('#over-only')
    await page.fill('#filter', 'cache')
    expect(await page.locator('#tests tbody tr .name').allTextContents()).toEqual([
      'a cache > keeps what it loads',
    ])
    await page.fill('#filter', '')
    const peaks = [...summary.tests].sort((a, b) => a.peak - b.peak).map((t) => t.name)
    await page.click('th button[data-sort="peak"]')
    expect(await page.locator('#tests tbody tr .name').allTextContents()).toEqual(peaks)
    await page.click('th button[data-sort="peak"]')
    expect(await page.locator('#tests tbody tr .name').allTextContents()).toEqual(peaks.reverse())
  })

  test("opens a working flamegraph of a test's heap profile, with its body's memory chart, and comes back", async () => {
    await rowOf(IMG).locator('a[data-link="page"]').click()
    await page.waitForSelector('html[data-ready]')
    expect(page.url()).toMatch(/\/src\/rows\.test\.ts\/img_src_x_onerror_alert_1\.html$/)
    expect(await page.locator('#title-script').textContent()).toBe(`src/rows.test.ts > ${IMG}`)
    expect(await page.title()).toBe(`memgate · src/rows.test.ts > ${IMG}`)
    // The plugin wrote the body's timeline beside its profile: the chart shows it, the 5 MB limit across it,
    // crossed on the way to the body's 20 MB.
    expect(
      existsSync(join(root, '.memgate', 'src', 'rows.test.ts', 'img_src_x_onerror_alert_1.timeline.json')),
    ).toBe(true)
    expect(await page.isVisible('#memory')).toBe(true)
    expect(await page.locator('#chart line.limit').getAttribute('data-bytes')).toBe('5000000')
    expect(await page.locator('#chart text.limit-label').textContent()).toMatch(
      /^limit 5 MB, over it from \d+ ms$/,
    )
    expect(await page.getAttribute('#view-allocated', 'aria-pressed')).toBe('true')
    expect(await page.isDisabled('#view-retained')).toBe(true)
    expect(await page.locator('#flamegraph g.frame text').allTextContents()).toContain('holdRows')
    const stats = Object.fromEntries(
      await page
        .locator('#stats-list dd')
        .evaluateAll((dds) => dds.map((dd) => [dd.dataset.stat, dd.textContent])),
    )
    const entry = summary.tests.find((t) => t.name === IMG)
    expect(stats).toMatchObject({
      Test: IMG,
      Verdict: 'over peak',
      Peak: formatSize(entry?.peak ?? -1),
      'Heap profile': expect.stringContaining('src/rows.test.ts/img_src_x_onerror_alert_1.heapprofile'),
    })
    expect(await page.locator('img').count()).toBe(0)
    await page.locator('#flamegraph g.frame', { hasText: 'holdRows' }).first().click()
    expect(await page.locator('#crumbs .crumb').last().textContent()).toBe('holdRows')
    await page.click('#back')
    await page.waitForSelector('#tests tbody tr')
    expect(page.url()).toMatch(/\/\.memgate\/index\.html$/)
  })

  test("starts a test's flamegraph at the test's body: Vitest's own frames are internals", async () => {
    const opened = await openReport(
      browser,
      join(root, '.memgate', 'src', 'rows.test.ts', 'img_src_x_onerror_alert_1.html'),
    )
    const flame = opened.page
    const pathToHoldRows = async () => {
      await flame.locator('#flamegraph g.frame', { hasText: 'holdRows' }).first().click()
      const path = await flame.locator('#crumbs .crumb').allTextContents()
      await flame.click('#reset')
      return path
    }
    // Shown whole, the stack runs through Vitest's runner (runWithTimeout, Promise, …) to the body.
    await flame.uncheck('#hide-internal')
    const whole = await pathToHoldRows()
    expect(whole).toEqual(expect.arrayContaining(['runWithTimeout', 'runWithCancel', 'Promise']))
    await flame.check('#hide-internal')
    // The test's body (an arrow function of rows.test.ts) sits on the root, and holdRows on it.
    expect(await pathToHoldRows()).toEqual(['all', '(anonymous)', 'holdRows'])
    const names = await flame.locator('#flamegraph g.frame text').allTextContents()
    for (const runner of ['runWithTimeout', 'runWithCancel', 'Promise', 'measureRuns'])
      expect(names).not.toContain(runner)
    await flame.locator('#flamegraph g.frame', { hasText: '(anonymous)' }).first().hover()
    expect(await flame.locator('#tooltip').textContent()).toContain('rows.test.ts:')
    expect(opened.errors).toEqual([])
    await flame.close()
  })

  test("shows a leak-limited test's profile as what was still held at its end", async () => {
    await rowOf('keeps what it loads').locator('a[data-link="page"]').click()
    await page.waitForSelector('html[data-ready]')
    expect(await page.getAttribute('#view-retained', 'aria-pressed')).toBe('true')
    expect(await page.isDisabled('#view-allocated')).toBe(true)
    expect(await page.getAttribute('#allocated-wrap', 'title')).toContain('only a leak limit')
    expect(await page.locator('#flamegraph g.frame text').allTextContents()).toContain('keepRows')
    expect(index.errors).toEqual([])
    expect(index.dialogs).toEqual([])
  })
})
