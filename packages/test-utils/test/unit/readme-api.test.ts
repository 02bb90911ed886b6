import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { exportedNames } from '../../src/readme-layout.js'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')
const NAME = '@memgate/test-utils'

/** Each entry of package.json's `exports`, as an import names it, with the source module it points at. */
function entries(): Map<string, string> {
  const { exports } = JSON.parse(read('../../package.json')) as { exports: Record<string, string> }
  return new Map(Object.entries(exports).map(([key, path]) => [NAME + key.slice(1), path]))
}

/** The names a module exports, types included. */
function moduleExports(path: string): string[] {
  return exportedNames(read(`../../${path}`))
}

/** The README's "Public API" bullets: the entry each names first, its module, and the identifiers after. */
function readmeEntries(): Map<string, { path: string; names: string[] }> {
  const readme = read('../../README.md')
  const section = readme.slice(readme.indexOf('\n## Public API\n'), readme.indexOf('\n## Source layout\n'))
  const bullets = section.split('\n- ').slice(1)
  return new Map(
    bullets.map((bullet) => {
      const [, entry = '', path = ''] = bullet.match(/^`([^`]+)` \(`([^`]+)`\)/) ?? []
      const names = [...bullet.matchAll(/`([A-Za-z_]\w*)`/g)].map(([, name]) => name ?? '')
      return [entry, { path, names: names.sort() }]
    }),
  )
}

test('the README has a bullet for each entry of package.json, naming its module', () => {
  const listed = [...readmeEntries()].map(([entry, { path }]): [string, string] => [entry, `./${path}`])
  expect(new Map(listed)).toEqual(entries())
})

test.each([...entries()])("the README's bullet of %s names exactly what %s exports", (entry, path) => {
  expect(readmeEntries().get(entry)?.names).toEqual(moduleExports(path))
})
