import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { InvalidOptionError, memgate } from '../../src/index.js'
import { resolveOptions } from '../../src/options.js'
import { runGated } from './gate-helpers.js'

describe('the gate options', () => {
  test('default to memgate.baseline.json, 30% or 4 MB, new and removed tests only reported', () => {
    expect(resolveOptions().gate).toEqual({
      baseline: 'memgate.baseline.json',
      tolerance: 0.3,
      floor: 4_000_000,
      failOnNew: false,
      failOnRemoved: false,
    })
    expect(resolveOptions({ gate: true }).gate).toEqual(resolveOptions().gate)
    expect(resolveOptions({ gate: false }).gate).toBe(false)
  })

  test('read a tolerance as a fraction or a percentage, and the floor as a size', () => {
    expect(resolveOptions({ gate: { tolerance: 0.15, floor: '512 kB' } }).gate).toMatchObject({
      tolerance: 0.15,
      floor: 512_000,
    })
    expect(resolveOptions({ gate: { tolerance: '12.5%' } }).gate).toMatchObject({ tolerance: 0.125 })
  })

  test.for([
    [
      { tolerance: 10 },
      "memgate({ gate.tolerance }): expected a fraction from 0 to 1 (0.1) or a percentage ('10%'), got 10",
    ],
    [{ tolerance: 'ten' }, 'memgate({ gate.tolerance }): expected a fraction from 0 to 1 (0.1)'],
    [{ floor: '2' }, 'memgate({ gate.floor }): Invalid memory size "2": it has no unit.'],
    [{ baseline: '' }, 'memgate({ gate.baseline }): expected a file path, got ""'],
    [{ failOnNew: 'yes' }, 'memgate({ gate.failOnNew }): expected true or false, got "yes"'],
    [
      { tolerence: 0.1 },
      "memgate({ gate.tolerence }): unknown option. The gate's options are: baseline, tolerance",
    ],
  ] as const)('reject %o, naming the option', ([gate, message]) => {
    const call = () => memgate({ gate } as Parameters<typeof memgate>[0])
    expect(call).toThrow(InvalidOptionError)
    expect(call).toThrow(message)
  })

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
