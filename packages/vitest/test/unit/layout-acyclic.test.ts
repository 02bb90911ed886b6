import { fileURLToPath } from 'node:url'
import { findCycle, importGraph, missingImports } from '@memgate/test-utils/import-graph'
import { expect, test } from 'vitest'

const graph = importGraph(fileURLToPath(new URL('../../src/', import.meta.url)))

test('every relative import of the plugin resolves to a module of src', () => {
  expect(missingImports(graph)).toEqual([])
})

test('the plugin has no import cycle', () => {
  expect(findCycle(graph).join(' → ')).toBe('')
})

test('runtime code (loaded in the test workers) imports only runtime modules and the errors, no main-process code', () => {
  const outside = [...graph]
    .filter(([file]) => file.startsWith('runtime/'))
    .flatMap(([file, targets]) =>
      targets
        .filter((target) => !target.startsWith('runtime/') && target !== 'errors.ts')
        .map((target) => `${file} → ${target}`),
    )
  expect(outside).toEqual([])
})
