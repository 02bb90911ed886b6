import { defineProject } from 'vitest/config'
import { YOUNG_GENERATION_FLAGS } from './src/v8/young-generation.js'

export default defineProject({
  test: {
    name: 'core:unit',
    include: ['test/unit/**/*.test.ts'],
    // tracking-lifecycle checks that the young generation is pinned, as memgate measures.
    pool: 'forks',
    execArgv: [...YOUNG_GENERATION_FLAGS],
  },
})
