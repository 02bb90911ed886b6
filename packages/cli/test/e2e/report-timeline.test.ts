import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatSize, type TimelinePoint } from '@memgate/core'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { profilePathOf } from '../../src/artifacts.js'
import { readCapture } from '../../src/capture.js'
import { launchChromium, memgate, openReport } from '../fixtures/report-page.js'
import { syntheticArtifacts } from '../fixtures/synthetic-artifacts.js'

let dir: string
let browser: Browser
let timeline: TimelinePoint[]
let limit: number
let page: { chart: string; plain: string }

// A body that takes 20 MB a megabyte at a time, with turns of the event loop between: readings on the way up.
const BODY = [
  'const kept = []',
  'for (let i = 0; i < 20; i++) {',
  '  kept.push(new Array(125_000).fill(i + 0.5))',
  '  await new Promise((done) => setTimeout(done, 5))',
  '}',
  'globalThis.kept = kept',
].join('\n')

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-report-timeline-'))
  // A real timeline, as core's tracker records one for a test body.
  writeFileSync(join(dir, 'body.mjs'), BODY)
  expect(memgate(dir, 'run', '-q', '-o', 'body.json', 'body.mjs').code).toBe(0)
  timeline = readCapture(join(dir, 'body.json')).measurement.timeline

  const artifacts = join(dir, '.memgate')
  const summary = syntheticArtifacts(artifacts, { tests: 2, frames: 100 })
  const [withTimeline, without] = summary.tests
  if (!withTimeline || !without) throw new Error('the synthetic summary has two tests')
  limit = withTimeline.limits.peak ?? 0
  const profile = profilePathOf(artifacts, withTimeline)
  writeFileSync(profile.replace(/\.heapprofile$/, '.timeline.json'), JSON.stringify(timeline))
  // The other test's timeline is not one: its page is written without a chart, with a warning.
  const other = profilePathOf(artifacts, without)
  copyFileSync(join(dir, 'body.mjs'), other.replace(/\.heapprofile$/, '.timeline.json'))
  page = {
    chart: profile.replace(/\.heapprofile$/, '.html'),
    plain: other.replace(/\.heapprofile$/, '.html'),
  }

  const result = memgate(dir, 'report')
  expect(result.code).toBe(0)
  expect(result.stderr).toBe(
    `memgate: ${other.replace(/\.heapprofile$/, '.timeline.json')} is not JSON: its test's page has no chart.\n`,
  )
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

/** `x,y` pairs of an SVG `points` attribute. */
const pointsOf = (text: string | null) =>
  (text ?? '')
    .trim()
    .split(/\s+/)
    .map((pair) => pair.split(',').map(Number))

test("a test's page charts its body's memory over time, with its peak limit across it", async () => {
  const top = timeline.map((p) => p.heap + p.external)
  const peak = Math.max(...top)
  // The body went well over the synthetic test's limit (10 MB) on the way to its 20 MB.
  expect(peak).toBeGreaterThan(limit * 1.5)

  const { page: chart, errors } = await openReport(browser, page.chart)
  expect(await chart.isVisible('#memory')).toBe(true)
  const heap = pointsOf(await chart.getAttribute('#chart polygon.area.heap', 'points'))
  // One point a reading, then back along the start.
  expect(heap).toHaveLength(timeline.length + 2)

  // The limit sits at its value on the chart's own scale: between the start (0) and the peak.
  const zero = heap.at(-1)?.[1] ?? Number.NaN
  const peakY = Number(await chart.getAttribute('#chart circle.peak', 'cy'))
  const limitLine = chart.locator('#chart line.limit')
  expect(Number(await limitLine.getAttribute('data-bytes'))).toBe(limit)
  const y = Number(await limitLine.getAttribute('y1'))
  expect(y).toBeCloseTo(zero + ((peakY - zero) * limit) / peak, 0)
  expect(await limitLine.getAttribute('y2')).toBe(await limitLine.getAttribute('y1'))

  // Where the body first went over it is marked, and said.
  const crossedAt = top.findIndex((bytes) => bytes > limit)
  const crossing = chart.locator('#chart circle.crossing')
  expect(Number(await crossing.getAttribute('cx'))).toBeCloseTo(heap[crossedAt]?.[0] ?? Number.NaN, 0)
  expect(Number(await crossing.getAttribute('cy'))).toBeCloseTo(y, 0)
  expect(await chart.locator('#chart text.limit-label').textContent()).toMatch(
    new RegExp(`^limit ${formatSize(limit)}, over it from \\d+ ms$`),
  )
  expect(errors).toEqual([])
})

test("a test's page without a readable timeline has no chart", async () => {
  const { page: plain, errors } = await openReport(browser, page.plain)
  expect(await plain.isHidden('#memory')).toBe(true)
  expect(readFileSync(page.plain, 'utf8')).toContain('"timeline":[]')
  expect(errors).toEqual([])
})
