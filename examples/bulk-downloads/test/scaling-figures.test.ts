// The scaling table as the README reads it: the figures between the `figures:scaling` markers come from a
// real run of bench/scaling.bench.ts (`pnpm readme-figures scaling`, about three minutes). This checks the
// README's claims against them: the parsed-only downloader's JS heap is the naive one's less the text once
// files are large, and its peak is the parse itself when they are small; process memory (RSS) is larger
// than memgate's figure in every run, before the run and in how much it grows.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseSize } from '@memgate/core'
import { expect, test } from 'vitest'

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
const COLUMNS = [
  'job',
  'downloader',
  'downloaded',
  'time',
  'peak',
  'JS heap',
  'external',
  'process RSS before',
  'RSS peak',
  'RSS growth',
  'peak vs small job',
] as const

type Row = Record<(typeof COLUMNS)[number], string>

function table(): Row[] {
  const section = /<!-- figures:scaling:start -->([\s\S]*?)<!-- figures:scaling:end -->/.exec(readme)?.[1]
  if (!section) throw new Error('README.md has no scaling figures: run `pnpm readme-figures scaling`')
  const lines = section.split('\n').filter((line) => line.startsWith('| '))
  const cells = (line: string) =>
    line
      .slice(2, -2)
      .split(' | ')
      .map((cell) => cell.trim())
  expect(cells(lines[0] ?? '')).toEqual(COLUMNS)
  return lines
    .slice(2)
    .map((line) => Object.fromEntries(cells(line).map((cell, i) => [COLUMNS[i], cell])) as Row)
}

const size = (text: string) => parseSize(text.replace(/^\+/, ''))
const row = (rows: Row[], job: string, downloader: string) => {
  const found = rows.find((r) => r.job === job && r.downloader === downloader)
  if (!found) throw new Error(`No ${downloader} row for the ${job} job`)
  return found
}

test('every job is run by the naive, parsed-only and fixed downloaders, the same videos each', () => {
  const rows = table()
  const jobs = [...new Set(rows.map((r) => r.job))]
  expect(jobs).toEqual(['small', '10× videos, 4× file sizes'])
  for (const job of jobs) {
    const ofJob = rows.filter((r) => r.job === job)
    expect(ofJob.map((r) => r.downloader)).toEqual(['naive', 'parsed-only', 'fixed'])
    expect(new Set(ofJob.map((r) => r.downloaded)).size).toBe(1)
  }
})

test('parsed-only: about the text’s 8 MB of JS heap under naive with large files, the parse as its peak with small ones', () => {
  const rows = table()
  const large = '10× videos, 4× file sizes'
  const saved = size(row(rows, large, 'naive')['JS heap']) - size(row(rows, large, 'parsed-only')['JS heap'])
  expect(saved).toBeGreaterThan(6e6)
  expect(saved).toBeLessThan(10e6)
  const small = row(rows, 'small', 'parsed-only')
  expect(size(small['JS heap'])).toBeGreaterThan(16e6)
  expect(size(small['JS heap'])).toBeGreaterThan(10 * size(small.external))
})

test('process RSS is larger than memgate’s figure: ~80 MB before the run, and it grows by more than the peak', () => {
  for (const r of table()) {
    const [before, peak, growth] = [size(r['process RSS before']), size(r['RSS peak']), size(r['RSS growth'])]
    expect(before, `${r.job}, ${r.downloader}`).toBeGreaterThan(50e6)
    expect(Math.abs(peak - before - growth), `${r.job}, ${r.downloader}`).toBeLessThan(0.2e6)
    expect(growth, `${r.job}, ${r.downloader}`).toBeGreaterThan(size(r.peak))
  }
})
