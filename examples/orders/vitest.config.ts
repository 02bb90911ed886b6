import { memgate } from '@memgate/vitest'
import { defineProject } from 'vitest/config'

export default defineProject({
  plugins: [memgate()],
  test: {
    name: 'example-orders',
    include: ['test/*.test.ts'],
    testTimeout: 120_000,
  },
})
