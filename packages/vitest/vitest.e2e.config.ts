import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'vitest-plugin:e2e',
    // The fixtures under test/fixtures are projects of their own, run by the end-to-end tests.
    include: ['test/e2e/**/*.test.ts'],
    // End-to-end tests (and their beforeAll) start Vitest on a fixture and measure real allocations: seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
