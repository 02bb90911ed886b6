import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HeapProfileNode } from '@memgate/core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readCapture } from '../../src/capture.js'
import { launchChromium, memgate, openReport } from '../fixtures/report-page.js'

// A script that makes a lot of garbage and keeps a little: the two views must tell them apart.
const SCRIPT = [
  'function makeGarbage() {',
  '  let total = 0',
  '  for (let i = 0; i < 40; i++) total += Array.from({ length: 20_000 }, (_, j) => ({ j })).length',
  '  return total',
  '}',
  'function keepForever() {',
  "  return Array.from({ length: 100_000 }, (_, i) => ({ i, name: 'kept ' + i }))",
  '}',
  'globalThis.total = makeGarbage()',
  'globalThis.kept = keepForever()',
].join('\n')

let dir: string
let browser: Browser

/** Bytes in the subtrees of the frames of a function (a frame inside another of it counted once). */
function bytesOf(head: HeapProfileNode, name: string): number {
  let bytes = 0
  const total = (node: HeapProfileNode): number =>
    node.children.reduce((sum, child) => sum + total(child), node.selfSize)
  const pending = [head]
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.callFrame.functionName === name) bytes += total(node)
    else pending.push(...node.children)
  }
  return bytes
}

/** The width of the widest drawn frame labelled `name`; 0 if none is (too narrow for a label, or absent). */
function widthOf(page: Page, name: string): Promise<number> {
  return page.evaluate((name) => {
    let width = 0
    for (const frame of document.querySelectorAll('#flamegraph g.frame')) {
      if (frame.querySelector('text')?.textContent !== name) continue
      width = Math.max(width, Number(frame.querySelector('rect')?.getAttribute('width')))
    }
    return width
  }, name)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-views-'))
  writeFileSync(join(dir, 'keeps.mjs'), SCRIPT)
  expect(memgate(dir, 'run', '-q', '-o', 'all.json', 'keeps.mjs')).toMatchObject({ code: 0 })
  const leaks = memgate(dir, 'run', '--leaks', '-o', 'leaks.json', 'keeps.mjs')
  expect(leaks).toMatchObject({ code: 0 })
  expect(leaks.stderr).toContain('memgate: its heap profile holds what was still held at the end')
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

describe('memgate run --leaks', () => {
  test('samples only what is still held at the end: the kept objects, not the garbage', () => {
    const all = readCapture(join(dir, 'all.json'))
    const leaks = readCapture(join(dir, 'leaks.json'))
    expect(all.keep).toBe('allocated')
    expect(leaks.keep).toBe('retained')
    // Every allocation: the garbage outweighs what was kept (~40 MB against ~8 MB).
    const allProfile = all.measurement.profile.head
    expect(bytesOf(allProfile, 'makeGarbage')).toBeGreaterThan(2 * bytesOf(allProfile, 'keepForever'))
    expect(bytesOf(allProfile, 'keepForever')).toBeGreaterThan(3e6)
    // Only what is still held: the kept objects; of the garbage, at most a few V8 internals (compiled code,
    // feedback) allocated while it ran.
    const held = leaks.measurement.profile.head
    expect(bytesOf(held, 'keepForever')).toBeGreaterThan(3e6)
    expect(bytesOf(held, 'makeGarbage')).toBeLessThan(bytesOf(held, 'keepForever') / 20)
    expect(leaks.measurement.allocatedSource).toBe('gc-statistics')
    expect(leaks.measurement.leakSites[0]?.stack.map((frame) => frame.functionName)).toContain('keepForever')
    expect(leaks.measurement.leaked).toBeGreaterThan(3e6)
  })
})

describe('the two views of the page', () => {
  test('a --leaks capture opens on "still held at the end", with the other view disabled and why', async () => {
    expect(memgate(dir, 'flamegraph', 'leaks.json')).toMatchObject({ code: 0 })
    const { page, errors } = await openReport(browser, join(dir, 'leaks.html'))
    expect(await page.getAttribute('#view-retained', 'aria-pressed')).toBe('true')
    expect(await page.isDisabled('#view-allocated')).toBe(true)
    expect(await page.getAttribute('#allocated-wrap', 'title')).toContain('recorded with --leaks')
    expect(await widthOf(page, 'keepForever')).toBeGreaterThan(20 * (await widthOf(page, 'makeGarbage')))
    expect(await page.locator('#stats-list dd[data-stat="Allocated"]').textContent()).toContain(
      'from GC statistics',
    )
    expect(errors).toEqual([])
    await page.close()
  })

  test('--retained adds a --leaks run to a page, and the toggle switches between the two profiles', async () => {
    expect(memgate(dir, 'flamegraph', 'all.json', '--retained', 'leaks.json', '-o', 'both.html')).toEqual({
      code: 0,
      stdout: `${join(dir, 'both.html')}\n`,
      stderr: '',
    })
    const { page, errors } = await openReport(browser, join(dir, 'both.html'))
    expect(await page.getAttribute('#view-allocated', 'aria-pressed')).toBe('true')
    expect(await widthOf(page, 'makeGarbage')).toBeGreaterThan(await widthOf(page, 'keepForever'))
    await page.click('#view-retained')
    expect(await page.getAttribute('#view-retained', 'aria-pressed')).toBe('true')
    expect(await page.getAttribute('#view-allocated', 'aria-pressed')).toBe('false')
    expect(await widthOf(page, 'keepForever')).toBeGreaterThan(20 * (await widthOf(page, 'makeGarbage')))
    // Zoom, search and orientation work on this view too.
    await page.locator('#flamegraph g.frame', { hasText: 'keepForever' }).first().click()
    expect(await page.locator('#crumbs .crumb').last().textContent()).toBe('keepForever')
    await page.fill('#search', 'keepforever')
    expect(await page.locator('#search-result').textContent()).toMatch(/^Matched \d/)
    await page.click('#view-allocated')
    expect(await widthOf(page, 'makeGarbage')).toBeGreaterThan(await widthOf(page, 'keepForever'))
    expect(await page.locator('#crumbs .crumb').count()).toBe(1)
    const still = await page.locator('#stats-list dd[data-stat="Still held at the end"]').textContent()
    expect(still).toContain('from a second run, memgate run --leaks -o leaks.json keeps.mjs')
    expect(errors).toEqual([])
    await page.close()
  })

  test('--retained takes only a --leaks capture, added to one that is not', () => {
    const wrongWay = memgate(dir, 'flamegraph', 'leaks.json', '--retained', 'all.json', '-o', 'x.html')
    expect(wrongWay).toMatchObject({ code: 2, stdout: '' })
    expect(wrongWay.stderr).toContain(`${join(dir, 'leaks.json')} was recorded with --leaks`)
    const notLeaks = memgate(dir, 'flamegraph', 'all.json', '--retained', 'all.json', '-o', 'x.html')
    expect(notLeaks).toMatchObject({ code: 2 })
    expect(notLeaks.stderr).toContain('was not recorded with --leaks')
    expect(notLeaks.stderr).toContain('Make one with: memgate run --leaks keeps.mjs')
    expect(memgate(dir, 'flamegraph', 'all.json', '--retained', 'missing.json')).toMatchObject({ code: 2 })
    expect(() => readFileSync(join(dir, 'x.html'))).toThrow()
  })
})
