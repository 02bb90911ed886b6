import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'test-utils:e2e',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
  },
})
