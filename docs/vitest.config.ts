import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'docs',
    include: ['test/*.test.ts'],
    // The getting-started test packs, installs from the registry and runs Vitest twice: tens of seconds.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})
