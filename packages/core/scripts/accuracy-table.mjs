// Renders the figures the accuracy tests left in .results/accuracy.json into README.md, between the
// ACCURACY markers. Run the tests first: `pnpm --filter @memgate/core test`, then `pnpm --filter @memgate/core accuracy-table`.
import { readFileSync, writeFileSync } from 'node:fs'
import { formatSize } from '../dist/index.js'

const rows = JSON.parse(readFileSync(new URL('../.results/accuracy.json', import.meta.url), 'utf8'))
const readme = new URL('../README.md', import.meta.url)
const size = (bytes) => (bytes === undefined ? '—' : formatSize(bytes))
const lines = [
  '| case | expectation | held (truth) | peak | allocated | leaked | paced GCs | time |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (row) =>
      `| ${row.case} | ${row.expectation} | ${size(row.truth)} | ${size(row.peak)} | ${size(row.allocated)} | ` +
      `${size(row.leaked)} | ${row.forcedGcs} | ${row.durationMs.toFixed(0)} ms |`,
  ),
]
const text = readFileSync(readme, 'utf8')
const start = '<!-- ACCURACY:START -->'
const end = '<!-- ACCURACY:END -->'
const from = text.indexOf(start)
const to = text.indexOf(end)
if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section to fill`)
writeFileSync(readme, `${text.slice(0, from + start.length)}\n${lines.join('\n')}\n${text.slice(to)}`)
console.log(`README.md: ${rows.length} rows`)
