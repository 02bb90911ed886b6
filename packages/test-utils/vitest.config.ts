import { defineConfig } from 'vitest/config'

// `vitest run` in this package. Its tests are all end to end; the root config lists the file itself.
export default defineConfig({
  test: { projects: ['vitest.e2e.config.ts'] },
})
