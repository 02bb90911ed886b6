import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeEach, expect, test } from 'vitest'
import { UnknownBenchError, writeBenchSections } from '../../src/readme-sections.js'

// A throwaway example inside this package, so that `node --import tsx` finds tsx from it.
const root = fileURLToPath(new URL(`../.generated/readme-${process.pid}/`, import.meta.url))
const README = [
  '# Example',
  '',
  '<!-- figures:a:start -->',
  'old',
  '<!-- figures:a:end -->',
  '',
  'after',
  '',
].join('\n')

beforeEach(() => {
  rmSync(root, { recursive: true, force: true })
  mkdirSync(`${root}bench`, { recursive: true })
  writeFileSync(`${root}README.md`, README)
  writeFileSync(
    `${root}bench/a.bench.ts`,
    "import { writeFileSync } from 'node:fs'\nwriteFileSync('ran-a', '')\nconsole.log('| figure |\\n| 42 |')\n",
  )
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const options = (asked: string[], benches = ['a']) => ({
  root,
  benches,
  asked,
  marker: 'figures',
  writtenBy: '`test`',
  reproduce: (name: string) => `Reproduce: ${name}.`,
})

test("writes a benchmark's output between its markers and leaves the rest of the README alone", () => {
  writeBenchSections(options([]))
  const text = readFileSync(`${root}README.md`, 'utf8')
  expect(text).toMatch(
    /^# Example\n\n<!-- figures:a:start -->\n<!-- written by `test` on \d{4}-\d\d-\d\d; do not edit by hand -->\n\n\| figure \|\n\| 42 \|\n\nReproduce: a\.\n<!-- figures:a:end -->\n\nafter\n$/,
  )
})

test('refuses an unknown benchmark, naming the ones there are', () => {
  expect(() => writeBenchSections(options(['b']))).toThrow(
    new UnknownBenchError('Unknown benchmark b; choose from a.'),
  )
})

test('checks every marker before running any benchmark', () => {
  expect(() => writeBenchSections(options([], ['a', 'missing']))).toThrow(
    'README.md has no <!-- figures:missing:start --> … <!-- figures:missing:end --> section',
  )
  expect(existsSync(`${root}ran-a`)).toBe(false)
  expect(readFileSync(`${root}README.md`, 'utf8')).toBe(README)
})
