import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const src = fileURLToPath(new URL('../../src/', import.meta.url))

/** Every module of `src`, by path relative to it, with the modules of `src` it imports (type imports too). */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'))
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const source = readFileSync(join(src, file), 'utf8')
    const targets = [...source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map(([, path]) =>
      relative(src, join(src, dirname(file), `${path}.ts`)),
    )
    graph.set(file, targets)
  }
  return graph
}

/** The first import cycle found, as the modules around it (the first repeated at the end); [] if none. */
function findCycle(graph: Map<string, string[]>): string[] {
  const done = new Set<string>()
  const path: string[] = []
  const visit = (file: string): string[] => {
    const at = path.indexOf(file)
    if (at >= 0) return [...path.slice(at), file]
    if (done.has(file)) return []
    path.push(file)
    for (const target of graph.get(file) ?? []) {
      const cycle = visit(target)
      if (cycle.length > 0) return cycle
    }
    path.pop()
    done.add(file)
    return []
  }
  for (const file of graph.keys()) {
    const cycle = visit(file)
    if (cycle.length > 0) return cycle
  }
  return []
}

test('every relative import of core resolves to a module of src', () => {
  const graph = importGraph()
  const missing = [...graph].flatMap(([file, targets]) =>
    targets.filter((target) => !graph.has(target)).map((target) => `${file} → ${target}`),
  )
  expect(missing).toEqual([])
})

test('core has no import cycle', () => {
  expect(findCycle(importGraph()).join(' → ')).toBe('')
})

// Each folder may import the folders after it (and the top-level modules below the folders), never one before.
const LAYERS = [
  'index.ts',
  'internal.ts',
  'leaks',
  'heap',
  'measure',
  'v8',
  'summary.ts',
  'size.ts',
  'errors.ts',
]

function layer(file: string): number {
  const at = LAYERS.indexOf(file.split('/')[0] ?? '')
  if (at < 0) throw new Error(`${file} is in no layer of LAYERS: add its folder there`)
  return at
}

test('a folder imports only the layers below it', () => {
  const upward = [...importGraph()].flatMap(([file, targets]) =>
    targets.filter((target) => layer(target) < layer(file)).map((target) => `${file} → ${target}`),
  )
  expect(upward).toEqual([])
})

test('the cycle check finds one', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts']],
  ])
  expect(findCycle(graph)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts'])
})
