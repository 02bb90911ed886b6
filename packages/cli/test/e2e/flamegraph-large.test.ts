import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, memgate, openReport } from '../fixtures/report-page.js'
import { syntheticCapture } from '../fixtures/synthetic-capture.js'

// How fast it renders and how soon the page is interactive: bench/flamegraph.bench.ts (timings are not
// asserted in tests).
let dir: string
let browser: Browser

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-flamegraph-large-'))
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

test('a 20,000-frame profile renders to one page under 2 MB that draws, zooms, resets and searches', async () => {
  writeFileSync(join(dir, 'synthetic.json'), JSON.stringify(syntheticCapture(20_000)))
  expect(memgate(dir, 'flamegraph', 'synthetic.json')).toMatchObject({ code: 0, stderr: '' })
  expect(statSync(join(dir, 'synthetic.html')).size).toBeLessThan(2e6)

  const { page, errors } = await openReport(browser, join(dir, 'synthetic.html'))
  expect(errors).toEqual([])
  const seen = await page.evaluate(() => {
    const flamegraph = document.querySelector('#flamegraph') as Element
    const drawn = () => Number(flamegraph.getAttribute('data-frames'))
    const search = document.querySelector<HTMLInputElement>('#search') as HTMLInputElement
    const before = drawn()
    document.querySelector<HTMLInputElement>('#hide-internal')?.click()
    const withInternals = drawn()
    ;(document.querySelector('#flamegraph g.frame[data-index="1"] rect') as Element).dispatchEvent(
      new MouseEvent('click', { bubbles: true }),
    )
    const zoomed = drawn()
    document.querySelector<HTMLButtonElement>('#reset')?.click()
    const reset = drawn()
    search.value = 'handler1'
    search.dispatchEvent(new Event('input'))
    return {
      before,
      withInternals,
      zoomed,
      reset,
      searching: flamegraph.classList.contains('searching'),
      result: document.querySelector('#search-result')?.textContent ?? '',
    }
  })
  expect(errors).toEqual([])
  expect(seen.before).toBeGreaterThan(100)
  // Node's frames (a tenth of the functions) are hidden by default: showing them draws more.
  expect(seen.withInternals).toBeGreaterThan(seen.before)
  expect(seen.reset).toBe(seen.withInternals)
  expect(seen.zoomed).not.toBe(seen.withInternals)
  expect(seen.searching).toBe(true)
  expect(seen.result).toMatch(/^Matched \d/)
  await page.close()
}, 60_000)
