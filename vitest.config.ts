import { defineConfig } from 'vitest/config'

// One Vitest run over every package and example, so the whole suite ends on a single summary.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts', 'docs/vitest.config.ts'],
  },
})
