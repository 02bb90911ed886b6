import { readFileSync } from 'node:fs'
import { bulletNames, exportedNames } from '@memgate/test-utils/readme-layout'
import { expect, test } from 'vitest'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** The names `src/index.ts` exports, types included. */
function indexExports(): string[] {
  return exportedNames(read('../../src/index.ts'))
}

/** The names the README's "Public API" list gives: each bullet's backticked identifiers. */
function readmeApi(): string[] {
  const readme = read('../../README.md')
  const start = readme.indexOf('## Public API')
  const section = readme.slice(start, readme.indexOf('`@memgate/vitest/runner`', start))
  return bulletNames(section)
}

test('the README lists exactly what index.ts exports', () => {
  expect(readmeApi()).toEqual(indexExports())
})

test('index.ts lists its exports by name', () => {
  expect(read('../../src/index.ts')).not.toMatch(/export \*/)
})

test('the README names the runner subpath and what it exports', () => {
  const readme = read('../../README.md')
  const exports = Object.keys(JSON.parse(read('../../package.json')).exports as Record<string, unknown>)
  expect(exports).toEqual(['.', './runner', './package.json'])
  const runner = readme.slice(readme.indexOf('`@memgate/vitest/runner`', readme.indexOf('## Public API')))
  expect(runner).toMatch(/^`@memgate\/vitest\/runner` \(`src\/runtime\/runner\.ts`\)/)
  expect(read('../../src/runtime/runner.ts')).toMatch(/export function withMemgate\b/)
  expect(runner.slice(0, runner.indexOf('\n\n'))).toContain('`withMemgate(')
})
