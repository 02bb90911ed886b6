import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { layoutMismatches } from '../../src/readme-layout.js'

test("the README's source layout table names every folder and module of src, and nothing else", () => {
  expect(layoutMismatches(fileURLToPath(new URL('../../', import.meta.url)))).toEqual([])
})
