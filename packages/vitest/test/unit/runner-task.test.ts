import type { RunnerTestCase } from 'vitest'
import { describe, expect, test } from 'vitest'
import { PLUGIN_MARK, RUNNER_MARK } from '../../src/runtime/marks.js'
import { isMeasured, withMemgate } from '../../src/runtime/runner.js'
import type { RuntimeSettings } from '../../src/runtime/settings.js'

const settings = (over: Partial<RuntimeSettings> = {}): RuntimeSettings => ({
  fence: {},
  sites: 5,
  frames: 3,
  samplingInterval: 32 * 1024,
  outputDir: '/tmp/.memgate',
  root: '/tmp',
  summary: false,
  ...over,
})
const task = (meta: RunnerTestCase['meta'] = {}) => ({ meta }) as RunnerTestCase

describe('which tests the runner measures', () => {
  test('a test with limits of its own, or any test under a default limit or the summary', () => {
    expect(isMeasured(task(), settings())).toBe(false)
    expect(isMeasured(task({ memgate: { limits: { peak: 1024 } } }), settings())).toBe(true)
    expect(isMeasured(task(), settings({ fence: { peak: 1024 } }))).toBe(true)
    expect(isMeasured(task(), settings({ fence: { leaks: 1024 } }))).toBe(true)
    expect(isMeasured(task(), settings({ summary: true }))).toBe(true)
  })
})

describe('withMemgate(Base)', () => {
  test("keeps the base runner's runTask as the body of an unmeasured test, and marks itself and the plugin present", async () => {
    const ran: string[] = []
    class Base {
      constructor(readonly config: string) {}
      async runTask(test: RunnerTestCase): Promise<void> {
        ran.push(`${this.config}:${test.name}`)
      }
    }
    delete (globalThis as Record<symbol, unknown>)[RUNNER_MARK]
    delete (globalThis as Record<symbol, unknown>)[PLUGIN_MARK]
    const Runner = withMemgate(Base)
    const runner = new (Runner as unknown as new (config: string) => Base)('own')
    expect((globalThis as Record<symbol, unknown>)[RUNNER_MARK]).toBe(true)
    expect((globalThis as Record<symbol, unknown>)[PLUGIN_MARK]).toBe(true)
    await runner.runTask({ name: 't', meta: {} } as RunnerTestCase)
    expect(ran).toEqual(['own:t'])
  })
})
