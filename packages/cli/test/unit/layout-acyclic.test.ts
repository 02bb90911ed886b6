import { fileURLToPath } from 'node:url'
import { findCycle, importGraph, missingImports } from '@memgate/test-utils/import-graph'
import { expect, test } from 'vitest'

const graph = importGraph(fileURLToPath(new URL('../../src/', import.meta.url)))

test('every relative import of the CLI resolves to a module of src', () => {
  expect(missingImports(graph)).toEqual([])
})

test('the CLI has no import cycle', () => {
  expect(findCycle(graph).join(' → ')).toBe('')
})

test("the browser code of the report imports only the report's browser modules and its data types", () => {
  const outside = [...graph]
    .filter(([file]) => file.startsWith('report/browser/'))
    .flatMap(([file, targets]) =>
      targets
        .filter((target) => !target.startsWith('report/browser/') && !target.endsWith('types.ts'))
        .map((target) => `${file} → ${target}`),
    )
  expect(outside).toEqual([])
})
