// The iterators table's extrapolated row, and the claims the README makes of it: the fit the benchmark uses
// (bench/shared.ts), and the table pnpm bench:readme wrote — the caching iterator measured past the points
// the fit goes through, the fit's error printed at each, and its memory extrapolation within 5% there.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { fitQuadratic, formatError } from '../bench/shared.js'

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')

/** The iterators table's rows, as cells. */
function rows(): string[][] {
  const section = /<!-- bench:iterators:start -->([\s\S]*?)<!-- bench:iterators:end -->/.exec(readme)?.[1]
  if (!section) throw new Error('README.md has no iterators section: run `pnpm bench:readme iterators`')
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| iterator') && !line.startsWith('| ---'))
    .map((line) =>
      line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.trim()),
    )
}

/** `+34%` → 0.34, `−1.4%` → −0.014, `0.0%` → 0. */
const percent = (text: string) => Number(text.replace('−', '-').replace('%', '')) / 100
const steps = (label: string) => Number(/([\d,]+) steps/.exec(label)?.[1]?.replaceAll(',', ''))

test('the fit recovers a·n² + b·n from three of its points, and its error reads signed', () => {
  const curve = (n: number) => 43.6 * n * n + 1000 * n
  const fit = fitQuadratic([10_000, 20_000, 40_000].map((n) => ({ n, y: curve(n) })))
  expect(fit(1_000_000) / curve(1_000_000)).toBeCloseTo(1, 9)
  expect([formatError(0.34), formatError(-0.014), formatError(-0.0001), formatError(0.005)]).toEqual([
    '+34%',
    '−1.4%',
    '0.0%',
    '+0.5%',
  ])
})

test('the table measures the caching iterator past its fitted points and prints the fit’s error there', () => {
  const table = rows()
  const caching = table.filter(([label]) => label?.startsWith('caching,'))
  const fitted = caching.filter(([label]) => label?.includes('fitted'))
  const heldOut = caching.filter(([label]) => label?.includes('held out'))
  expect(fitted.length).toBeGreaterThanOrEqual(3)
  expect(heldOut.length).toBeGreaterThanOrEqual(1)
  const lastFitted = Math.max(...fitted.map(([label]) => steps(label ?? '')))
  for (const [label] of heldOut) expect(steps(label ?? '')).toBeGreaterThan(lastFitted)

  // Each caching row's error cell is "time / peak"; the extrapolated row quotes the worst held-out ones.
  const errors = heldOut.map((row) => (row[7] ?? '').split(' / ').map(percent) as [number, number])
  const worst = (i: 0 | 1) => errors.reduce((a, e) => (Math.abs(e[i]) > Math.abs(a) ? e[i] : a), 0)
  const extrapolated = table.find(([label]) => label?.includes('extrapolated'))
  const note = extrapolated?.at(-1) ?? ''
  expect(note).toContain(
    `off by up to ${formatError(worst(1))} (peak) and ${formatError(worst(0))} (time) at the ${heldOut.length} held-out rows`,
  )
  // The README's claim: the memory extrapolation is within 5% where it could be checked.
  for (const [, peak] of errors) expect(Math.abs(peak)).toBeLessThan(0.05)
})

test('the unified iterator is in the table beside the memory-guarded one, and started over like it', () => {
  const table = rows()
  const guarded = table.find(([label]) => label?.startsWith('memory-guarded'))
  const unified = table.find(([label]) => label?.startsWith('unified'))
  expect(unified?.[0]).toBe('unified (budget 64 MB, one class), 1,000,000 steps')
  const resets = (row?: string[]) => Number(/started over (\d+) times/.exec(row?.at(-1) ?? '')?.[1])
  expect(resets(unified)).toBeGreaterThan(0)
  expect(resets(guarded)).toBeGreaterThan(0)
  expect(unified?.at(-1)).toMatch(/; \d+\.\d\d× memory-guarded's time$/)
})
