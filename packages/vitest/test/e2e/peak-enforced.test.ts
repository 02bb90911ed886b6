import { formatSize } from '@memgate/core'
import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

let run: FixtureRun
beforeAll(async () => {
  run = await runFixture('peak')
})

describe('limitMemory', () => {
  test('passes a test that stays within its limit', () => {
    expect(testNamed(run, 'within its limit')).toMatchObject({ state: 'passed', errors: [] })
  })

  test('fails a test over its limit, saying by how much and where', () => {
    const { state, errors, meta } = testNamed(run, 'over its limit')
    expect(state).toBe('failed')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ name: 'MemoryLimitError', code: 'MEMGATE_MEMORY_LIMIT' })
    // The peak reads garbage not yet collected too, so it lies between what is held and what was allocated.
    const { peak = 0, peakHeap = 0, peakExternal = 0 } = meta.memgateResult ?? {}
    expect(peak).toBeGreaterThan(29_000_000)
    const message = errors[0]?.message ?? ''
    expect(message.split('\n')[0]).toBe(
      `Test was limited to 10 MB of peak memory but reached ${formatSize(peak)} ` +
        `(JS heap ${formatSize(peakHeap)}, external ${formatSize(peakExternal)})`,
    )
    expect(message).toMatch(
      /\n\nTop allocation sites \(bytes allocated, freed or not\):\n +[\d.]+ MB {2}holdThirtyMegabytes \(\S*peak\.test\.ts:\d+\)\n/,
    )
    expect(message).toMatch(/called from \(anonymous\) \(\S*peak\.test\.ts:\d+\)/)
  })

  test('leaves tests without a limit alone', () => {
    expect(testNamed(run, 'without a limit')).toMatchObject({ state: 'passed', meta: {} })
  })

  test('measures each case of test.each on its own', () => {
    expect(testNamed(run, 'holds 1 MB').state).toBe('passed')
    expect(testNamed(run, 'holds 30 MB').state).toBe('failed')
  })
})
