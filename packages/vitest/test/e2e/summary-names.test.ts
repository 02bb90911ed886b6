import { expect, test } from 'vitest'
import { runFixture } from './run-fixture.js'

test('the summary shows each test with its file and its whole name, wrapped over lines as needed', async () => {
  const run = await runFixture('summary-names')
  const lines = run.output.split('\n')
  const rule = lines.findIndex((line) => /^-+( +-+){6}$/.test(line))
  expect(rule).toBeGreaterThan(0)
  // A row starts at a line with figures; the lines under it, indented, carry the rest of its name.
  const rows: string[] = []
  for (const line of lines.slice(rule + 1)) {
    if (line === '') break
    const figures = / {2,}[\d.]+ k?B /.exec(line)
    if (figures) rows.push(line.slice(0, figures.index).trim())
    else rows.push(`${rows.pop()} ${line.trim()}`)
  }
  const name = (kind: string) =>
    `customer-import.test.ts > customer import > leaves no ${kind} record behind once the import is committed, ` +
    'with runs: 5 (5,000 new customers per run), 200 kB per run'
  expect(rows.sort()).toEqual([name('address'), name('customer')])
  for (const line of lines.slice(rule + 1)) expect(line.length).toBeLessThanOrEqual(lines[rule]?.length ?? 0)
})
