import { memgate } from '@memgate/vitest'
import { defineProject } from 'vitest/config'

export default defineProject({
  plugins: [memgate()],
  test: {
    name: 'example-bulk-downloads',
    include: ['test/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
