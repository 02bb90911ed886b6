import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { runGated } from './gate-helpers.js'

// Each gate option's checks: test/unit/options-resolve.test.ts.
describe('the gate options', () => {
  test('gate: false reads no baseline and gates nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-gate-off-'))
    try {
      // A baseline that every test would grow far beyond, and one that could not even be read.
      const baseline = join(dir, 'memgate.baseline.json')
      writeFileSync(baseline, '{ "version": 1, "tests": { "gate.test.ts > holds 10 MB": { "peak": 1 } } }')
      const run = await runGated('gate-basic', { MEMGATE_BASELINE: baseline }, {}, 'vitest.off.config.ts')
      expect(run.tests.every((t) => t.state === 'passed')).toBe(true)
      expect(run.output).not.toContain('memgate gate')
      writeFileSync(baseline, '{ not json')
      const again = await runGated('gate-basic', { MEMGATE_BASELINE: baseline }, {}, 'vitest.off.config.ts')
      expect(again.tests.every((t) => t.state === 'passed')).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
