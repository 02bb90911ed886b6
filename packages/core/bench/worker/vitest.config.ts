import { defineConfig } from 'vitest/config'

// A plain Vitest fork worker, young generation pinned as memgate measures: the heap a leak diagnosis of a
// failing test starts from (Vitest's own modules, the test file, memgate's core). Run by
// bench/leak-diagnosis.bench.ts.
export default defineConfig({
  test: {
    include: ['phases.test.ts'],
    pool: 'forks',
    execArgv: ['--max-semi-space-size=1'],
    testTimeout: 600_000,
  },
})
