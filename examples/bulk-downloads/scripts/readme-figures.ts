// Runs the example's benchmarks and writes their figures into README.md, each between its markers:
//   <!-- figures:seed-questions:start --> … <!-- figures:seed-questions:end -->
//   <!-- figures:scaling:start --> … <!-- figures:scaling:end -->
// Usage (from examples/bulk-downloads): `pnpm readme-figures` for both, or `pnpm readme-figures scaling`.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const readme = join(root, 'README.md')
const BENCHES = ['seed-questions', 'scaling'] as const
type Name = (typeof BENCHES)[number]

const asked = process.argv.slice(2)
const unknown = asked.filter((name) => !BENCHES.includes(name as Name))
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}.`)
  process.exit(2)
}
const chosen = asked.length > 0 ? (asked as Name[]) : [...BENCHES]

/** Where the section of `name` is in the README as it is now, markers included. */
function locate(text: string, name: Name): { from: number; to: number; start: string; end: string } {
  const start = `<!-- figures:${name}:start -->`
  const end = `<!-- figures:${name}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`)
  return { from, to: to + end.length, start, end }
}

// Check every section first, so a missing marker fails before minutes of benchmarking.
for (const name of chosen) locate(readFileSync(readme, 'utf8'), name)
for (const name of chosen) {
  console.error(`Running bench/${name}.bench.ts…`)
  // Progress goes to this terminal; the Markdown comes back on stdout.
  const figures = execFileSync(process.execPath, ['--import', 'tsx', `bench/${name}.bench.ts`], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim()
  const day = new Date().toISOString().slice(0, 10)
  const { start, end } = locate(readFileSync(readme, 'utf8'), name)
  const section = [
    start,
    `<!-- written by \`pnpm readme-figures\` (scripts/readme-figures.ts) on ${day}; do not edit by hand -->`,
    '',
    figures,
    '',
    `Reproduce from \`examples/bulk-downloads\` with \`node --import tsx bench/${name}.bench.ts\` (this one, ` +
      'printed) or `pnpm readme-figures` (both, written here).',
    end,
  ].join('\n')
  // Read again and written after each benchmark: edits made meanwhile are kept.
  const text = readFileSync(readme, 'utf8')
  const { from, to } = locate(text, name)
  writeFileSync(readme, text.slice(0, from) + section + text.slice(to))
  console.error(`README.md: ${name} figures written`)
}
