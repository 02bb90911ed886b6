import { fileURLToPath } from 'node:url'
import { findCycle, importGraph, missingImports } from '@memgate/test-utils/import-graph'
import { expect, test } from 'vitest'

const graph = importGraph(fileURLToPath(new URL('../../src/', import.meta.url)))

test('every relative import of core resolves to a module of src', () => {
  expect(missingImports(graph)).toEqual([])
})

test('core has no import cycle', () => {
  expect(findCycle(graph).join(' → ')).toBe('')
})

// Each folder may import the folders after it (and the top-level modules below the folders), never one before.
const LAYERS = [
  'index.ts',
  'internal.ts',
  'internal-config.ts',
  'tinybench.ts',
  'bench',
  'leaks',
  'heap',
  'measure',
  'v8',
  'summary.ts',
  'artifact-name.ts',
  'size.ts',
  'errors.ts',
]

function layer(file: string): number {
  const at = LAYERS.indexOf(file.split('/')[0] ?? '')
  if (at < 0) throw new Error(`${file} is in no layer of LAYERS: add its folder there`)
  return at
}

test('a folder imports only the layers below it', () => {
  const upward = [...graph].flatMap(([file, targets]) =>
    targets.filter((target) => layer(target) < layer(file)).map((target) => `${file} → ${target}`),
  )
  expect(upward).toEqual([])
})

test('the cycle check finds one', () => {
  const loop = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts']],
  ])
  expect(findCycle(loop)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts'])
})
