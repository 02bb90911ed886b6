import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'cli:e2e',
    // test/fixtures holds projects the tests run Vitest on, with test files of their own.
    include: ['test/e2e/**/*.test.ts'],
    // The tests start processes and a browser; on a loaded machine one of them can take seconds.
    testTimeout: 30_000,
  },
})
