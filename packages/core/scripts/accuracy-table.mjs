// Renders the figures the accuracy tests left in .results/accuracy-node<major>.json into README.md, between the
// ACCURACY markers: a column of each Node the tests ran on: Node 20, Node 22 and Node 24, as CI runs them.
// Run the tests on each first — `pnpm --filter @memgate/core test` here, and `node scripts/vitest5.mjs` for
// Node 24, whose figures land in the copy it makes: copy its packages/core/.results/accuracy-node24.json here —
// then `pnpm --filter @memgate/core accuracy-table`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { formatSize } from '../dist/index.js'

const NODES = [20, 22, 24]
const results = NODES.map((node) => {
  const file = new URL(`../.results/accuracy-node${node}.json`, import.meta.url)
  if (!existsSync(file))
    throw new Error(`no figures for Node ${node}: run the accuracy tests on Node ${node} first`)
  return new Map(JSON.parse(readFileSync(file, 'utf8')).map((row) => [row.case, row]))
})
const [first] = results
const readme = new URL('../README.md', import.meta.url)
const size = (bytes) => (bytes === undefined ? '—' : formatSize(bytes))
const each = (name, figure) => results.map((rows) => size(rows.get(name)?.[figure])).join(' | ')
const heads = (figure) => NODES.map((node) => `${figure}, Node ${node}`).join(' | ')
const lines = [
  `| case | expectation | held (truth), Node ${NODES.join(' / ')} | ${heads('peak')} | ${heads('allocated')} | ${heads('leaked')} |`,
  `| --- | --- | --- |${' --- |'.repeat(3 * NODES.length)}`,
  ...[...first.values()].map(
    (row) =>
      `| ${row.case} | ${row.expectation} | ${results.map((rows) => size(rows.get(row.case)?.truth)).join(' / ')} | ` +
      `${each(row.case, 'peak')} | ${each(row.case, 'allocated')} | ${each(row.case, 'leaked')} |`,
  ),
]
const text = readFileSync(readme, 'utf8')
const start = '<!-- ACCURACY:START -->'
const end = '<!-- ACCURACY:END -->'
const from = text.indexOf(start)
const to = text.indexOf(end)
if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section to fill`)
writeFileSync(readme, `${text.slice(0, from + start.length)}\n${lines.join('\n')}\n${text.slice(to)}`)
console.log(`README.md: ${first.size} rows, Node ${NODES.join(' and ')}`)
