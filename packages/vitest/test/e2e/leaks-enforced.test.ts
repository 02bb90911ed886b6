import { formatSize } from '@memgate/core'
import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

let run: FixtureRun
beforeAll(async () => {
  run = await runFixture('leaks')
})

describe('limitLeaks', () => {
  test('fails a test that leaves more reachable than its limit, saying where it was allocated', () => {
    const { state, errors, meta } = testNamed(run, 'leaks past its limit')
    expect(state).toBe('failed')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ name: 'LeakLimitError', code: 'MEMGATE_LEAK_LIMIT' })
    const { leaked = 0, leakedHeap = 0, leakedExternal = 0 } = meta.memgateResult ?? {}
    expect(leaked).toBeGreaterThan(2_000_000)
    const message = errors[0]?.message ?? ''
    expect(message.split('\n')[0]).toBe(
      `Test may leak 64 kB but left ${formatSize(leaked)} reachable after it returned ` +
        `(JS heap ${formatSize(leakedHeap)}, external ${formatSize(leakedExternal)})`,
    )
    expect(message).toMatch(
      /\n\nWhere the memory still reachable was allocated \(all kinds together\):\n +[\d.]+ MB {2}remember \(\S*leaks\.test\.ts:\d+\)/,
    )
  })

  test('passes a test that frees what it allocates', () => {
    expect(testNamed(run, 'frees what it allocates')).toMatchObject({ state: 'passed', errors: [] })
  })

  test('counts memory held outside the JS heap', () => {
    const [error] = testNamed(run, 'leaks a Buffer past its limit').errors
    expect(error?.message).toMatch(
      /^Test may leak 64 kB but left 2 MB reachable .*\(JS heap [\d.]+ k?B, external 2 MB\)/,
    )
  })

  test('reports both limits when both are exceeded', () => {
    const { state, errors } = testNamed(run, 'over both limits')
    expect(state).toBe('failed')
    expect(errors.map((error) => error.name)).toEqual(['MemoryLimitError', 'LeakLimitError'])
  })
})
