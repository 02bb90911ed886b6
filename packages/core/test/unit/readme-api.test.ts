import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** The names `src/index.ts` exports, types included. */
function indexExports(): string[] {
  const source = read('../../src/index.ts')
  return [...source.matchAll(/export (?:type )?\{([^}]*)\}/g)]
    .flatMap(([, names]) => (names ?? '').split(','))
    .map((name) => name.trim().replace(/^type /, ''))
    .filter((name) => name !== '')
    .sort()
}

/** The names the README's "Public API" list gives: each bullet's backticked identifiers. */
function readmeApi(): string[] {
  const readme = read('../../README.md')
  const section = readme.slice(readme.indexOf('## Public API'), readme.indexOf('`@memgate/core/internal`'))
  const bullets = section.split('\n- ').slice(1).join('\n')
  return [...bullets.matchAll(/`([A-Za-z_]\w*)`/g)].map(([, name]) => name ?? '').sort()
}

test('the README lists exactly what index.ts exports', () => {
  expect(readmeApi()).toEqual(indexExports())
})

test('index.ts lists its exports by name', () => {
  expect(read('../../src/index.ts')).not.toMatch(/export \*/)
})
