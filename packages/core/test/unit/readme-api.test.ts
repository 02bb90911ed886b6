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
  const section = readme.slice(readme.indexOf('## Public API'), readme.indexOf('`@memgate/core/internal`'))
  return bulletNames(section)
}

test('the README lists exactly what index.ts exports', () => {
  expect(readmeApi()).toEqual(indexExports())
})

test('index.ts lists its exports by name', () => {
  expect(read('../../src/index.ts')).not.toMatch(/export \*/)
})
