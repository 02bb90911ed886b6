import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatSize } from '@memgate/core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readCapture } from '../../src/capture.js'
import { launchChromium, memgate, type OpenedReport, openReport } from '../fixtures/report-page.js'

const IMG = '<img src=x onerror=alert(1)>'
const CLOSER = '</script><script>alert(2)</script>'
const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url))

let dir: string
let browser: Browser
let report: OpenedReport
let page: Page

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-flamegraph-'))
  const script = [
    // String-literal method names are what V8's profiler reports as the function's name.
    `const evil = { '${IMG}'() {`,
    '  const rows = []',
    "  for (let i = 0; i < 200_000; i++) rows.push({ i, name: 'row ' + i })",
    '  return rows',
    '} }',
    `const sneaky = { '${CLOSER}'() { return Array.from({ length: 100_000 }, (_, i) => [i]) } }`,
    `function buildCatalogue() { return evil['${IMG}']() }`,
    `globalThis.kept = [buildCatalogue(), sneaky['${CLOSER}']()]`,
    'globalThis.buffers = Array.from({ length: 20 }, () => Buffer.alloc(200_000))',
  ].join('\n')
  writeFileSync(join(dir, 'evil.mjs'), script)
  expect(memgate(dir, 'run', '-q', '-o', 'evil.json', 'evil.mjs')).toMatchObject({ code: 0 })
  expect(memgate(dir, 'flamegraph', 'evil.json')).toMatchObject({
    code: 0,
    stdout: `${join(dir, 'evil.html')}\n`,
  })
  browser = await launchChromium()
  report = await openReport(browser, join(dir, 'evil.html'))
  page = report.page
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

const frameCount = async () => Number(await page.getAttribute('#flamegraph', 'data-frames'))
const frameLabels = () => page.locator('#flamegraph g.frame text').allTextContents()

describe('memgate flamegraph page', () => {
  test('opens from file:// without errors and draws the stats, the chart and the flamegraph', async () => {
    expect(report.errors).toEqual([])
    const { measurement } = readCapture(join(dir, 'evil.json'))
    const stats = Object.fromEntries(
      await page
        .locator('#stats-list dd')
        .evaluateAll((dds) => dds.map((dd) => [dd.dataset.stat, dd.textContent])),
    )
    expect(stats).toMatchObject({
      Command: 'memgate run -q -o evil.json evil.mjs',
      'Exit code': '0',
      Peak: `${formatSize(measurement.peak)} (JS heap ${formatSize(measurement.peakHeap)}, external ${formatSize(measurement.peakExternal)})`,
      Allocated: formatSize(measurement.allocated),
    })
    expect(stats.GC).toContain(`${measurement.gc.count} collections`)
    expect(await page.locator('#chart polygon.area').count()).toBe(2)
    expect(await page.getAttribute('#chart polyline.rss', 'points')).toMatch(/^\d/)
    expect(await page.locator('#chart .peak-label').textContent()).toMatch(/^peak \d+(\.\d)? [kMG]?B at /)
    expect(await frameCount()).toBeGreaterThan(3)
    expect(await frameLabels()).toContain('buildCatalogue')
  })

  test('renders a function named like markup as text, and runs none of it', async () => {
    expect(await frameLabels()).toContain(IMG)
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.locator('script').count()).toBe(2)
    await page.locator('#flamegraph g.frame', { hasText: IMG }).first().hover()
    expect(await page.locator('#tooltip strong').textContent()).toBe(IMG)
    expect(await page.locator('#tooltip').textContent()).toMatch(
      /evil\.mjs:1:\d+.*\d+(\.\d)? [kM]?B \(\d+\.\d% of the total\)/,
    )
    mkdirSync(artifacts, { recursive: true })
    await page.screenshot({ path: join(artifacts, 'flamegraph.png'), fullPage: true })
    await page.fill('#search', 'alert(2)')
    expect(await page.locator('#search-result').textContent()).toMatch(/^Matched \d/)
    await page.fill('#search', '')
    expect(report.dialogs).toEqual([])
    expect(report.errors).toEqual([])
  })

  test('zooms into a clicked frame and back out with reset', async () => {
    const rootLabel = () => page.locator('#flamegraph g.frame[data-index="0"] text').textContent()
    expect(await rootLabel()).toBe('all')
    await page.locator('#flamegraph g.frame', { hasText: 'buildCatalogue' }).first().click()
    expect(await rootLabel()).toBe('buildCatalogue')
    expect(await page.locator('#crumbs .crumb').last().textContent()).toBe('buildCatalogue')
    expect(await frameLabels()).not.toContain(CLOSER)
    await page.click('#reset')
    expect(await rootLabel()).toBe('all')
    expect(await page.isDisabled('#reset')).toBe(true)
  })

  test('search highlights the matching frames and tells their bytes and share', async () => {
    await page.fill('#search', 'onerror')
    const matches = page.locator('#flamegraph g.frame.match')
    expect(await matches.count()).toBeGreaterThan(0)
    for (const text of await matches.locator('text').allTextContents()) expect(text).toBe(IMG)
    expect(await page.locator('#search-result').textContent()).toMatch(
      /^Matched \d+(\.\d)? [kM]?B, \d+\.\d% of the total$/,
    )
    await page.fill('#search', '')
    expect(await matches.count()).toBe(0)
    expect(await page.locator('#search-result').textContent()).toBe('')
  })

  test('shows Node and memgate internals only when asked', async () => {
    expect(await page.isChecked('#hide-internal')).toBe(true)
    const hidden = await frameCount()
    expect(await page.locator('#flamegraph g.frame.internal').count()).toBe(0)
    await page.uncheck('#hide-internal')
    expect(await frameCount()).toBeGreaterThan(hidden)
    expect(await page.locator('#flamegraph g.frame.internal').count()).toBeGreaterThan(0)
    await page.check('#hide-internal')
    expect(await frameCount()).toBe(hidden)
  })

  test('draws flames root at the bottom and icicles root at the top', async () => {
    const rootY = async () => Number(await page.getAttribute('#flamegraph g.frame[data-index="0"] rect', 'y'))
    expect(await rootY()).toBeGreaterThan(0)
    await page.click('#mode-icicles')
    expect(await rootY()).toBe(0)
    await page.click('#mode-flames')
    expect(await rootY()).toBeGreaterThan(0)
  })

  test('downloads the timeline as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')])
    expect(download.suggestedFilename()).toBe('memgate-timeline.csv')
    const lines = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n')
    expect(lines[0]).toBe('t,heap,external,rss')
    const { timeline } = readCapture(join(dir, 'evil.json')).measurement
    expect(lines.length - 1).toBe(timeline.length)
    for (const line of lines.slice(1)) expect(line).toMatch(/^[\d.]+,-?\d+,-?\d+,\d+$/)
  })

  test('keeps "still held at the end" disabled, saying how to record it, when the run sampled allocations', async () => {
    expect(await page.getAttribute('#view-allocated', 'aria-pressed')).toBe('true')
    expect(await page.isDisabled('#view-retained')).toBe(true)
    expect(await page.getAttribute('#retained-wrap', 'title')).toContain('memgate run --leaks')
    expect(await page.isHidden('#back')).toBe(true)
  })
})
