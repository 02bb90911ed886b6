import { readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const dist = fileURLToPath(new URL('../../dist/', import.meta.url))

function staticImports(file: string, seen = new Set<string>()): Set<string> {
  seen.add(file)
  const source = readFileSync(file, 'utf8')
  for (const [, specifier] of source.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) {
    const target = join(dirname(file), specifier ?? '')
    if (!seen.has(target)) staticImports(target, seen)
  }
  return seen
}

test('the package entry, which test workers load, reaches no node-side module statically', () => {
  const reached = [...staticImports(join(dist, 'index.js'))].map((file) => relative(dist, file))
  expect(reached).toContain('plugin.js')
  expect(reached.filter((file) => file.startsWith('node'))).toEqual([])
})
