import { defineProject } from 'vitest/config'
import { YOUNG_GENERATION_FLAGS } from './src/v8/young-generation.js'

export default defineProject({
  test: {
    name: 'core:e2e',
    include: ['test/e2e/**/*.test.ts'],
    // Measurements are made in child processes whose young generation is pinned from the start.
    pool: 'forks',
    execArgv: [...YOUNG_GENERATION_FLAGS],
    testTimeout: 60_000,
  },
})
