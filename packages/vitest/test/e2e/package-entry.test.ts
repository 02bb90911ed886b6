import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const dist = fileURLToPath(new URL('../../dist/', import.meta.url))
const coreDist = join(dirname(createRequire(join(dist, 'index.js')).resolve('@memgate/core/size')), '/')

/** The modules `file` loads through its static imports: relative ones, and `@memgate/core`'s entries. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  seen.add(file)
  const source = readFileSync(file, 'utf8')
  const resolve = createRequire(file).resolve
  for (const [, specifier = ''] of source.matchAll(
    /^(?:import|export)[^'"]*from '((?:\.|@memgate\/core)[^']*)'/gm,
  )) {
    const target = specifier.startsWith('.') ? join(dirname(file), specifier) : resolve(specifier)
    if (!seen.has(target)) staticImports(target, seen)
  }
  return seen
}

test('the package entry, which test workers load, reaches no node-side module statically', () => {
  const reached = [...staticImports(join(dist, 'index.js'))].map((file) => relative(dist, file))
  expect(reached).toContain('plugin.js')
  expect(reached.filter((file) => file.startsWith('node'))).toEqual([])
})

// What Vitest's main process loads for a project with the plugin and no limits: the entry, the config step and
// the gate's modules. None of core's measuring engine (some 35 modules through `@memgate/core` or
// `/internal`): loading it was most of what the plugin cost a suite that measures nothing (BENCHMARKS.md).
test("the plugin's config step loads none of core's measuring engine", () => {
  const reached = new Set<string>()
  for (const file of ['index.js', 'node/config.js', 'node/gate-config.js', 'node/gate-reporter.js']) {
    for (const module of staticImports(join(dist, file))) reached.add(module)
  }
  const core = [...reached]
    .filter((file) => file.startsWith(coreDist))
    .map((file) => relative(coreDist, file))
  expect(core.sort()).toEqual([
    'errors.js',
    'internal-config.js',
    'measure/sampling.js',
    'size.js',
    'v8/flags.js',
    'v8/inspector.js',
    'v8/young-generation.js',
  ])
})
