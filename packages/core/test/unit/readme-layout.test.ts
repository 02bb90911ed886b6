import { fileURLToPath } from 'node:url'
import { layoutMismatches } from '@memgate/test-utils/readme-layout'
import { expect, test } from 'vitest'

test("the README's source layout table names every folder and module of src, and nothing else", () => {
  expect(layoutMismatches(fileURLToPath(new URL('../../', import.meta.url)))).toEqual([])
})
