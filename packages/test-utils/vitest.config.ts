import { defineConfig } from 'vitest/config'

// `vitest run` in this package: both tiers. The root config lists the two files itself.
export default defineConfig({
  test: { projects: ['vitest.unit.config.ts', 'vitest.e2e.config.ts'] },
})
