import { defineConfig } from 'vitest/config'

// MEMGATE_TIER=unit: pure functions and in-process logic, from the sources (no build needed).
const unit = ['packages/*/vitest.unit.config.ts']
// MEMGATE_TIER=e2e: real Vitest runs on fixtures, child processes, Chromium, the examples and the docs
// (their configs load the built packages).
const e2e = ['packages/*/vitest.e2e.config.ts', 'examples/*/vitest.config.ts', 'docs/vitest.config.ts']

const tier = process.env.MEMGATE_TIER
if (tier !== undefined && tier !== 'unit' && tier !== 'e2e')
  throw new Error(`MEMGATE_TIER must be unit or e2e (or unset for both), got "${tier}"`)

// Unset: both tiers in one Vitest run, so the whole suite ends on a single summary.
export default defineConfig({
  test: {
    projects: tier === 'unit' ? unit : tier === 'e2e' ? e2e : [...unit, ...e2e],
  },
})
