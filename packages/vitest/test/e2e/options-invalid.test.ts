import { describe, expect, onTestFinished, test, vi } from 'vitest'
import { InvalidOptionError, memgate } from '../../src/index.js'
import { resolveOptions } from '../../src/options.js'
import { runFixture } from './run-fixture.js'

describe('the plugin options', () => {
  test('default to no limits, 5 sites of 3 frames, V8 sampling, .memgate and no summary', () => {
    expect(resolveOptions()).toEqual({
      limit: undefined,
      leaks: undefined,
      sites: 5,
      frames: 3,
      samplingInterval: 32 * 1024,
      outputDir: '.memgate',
      summary: false,
      summaryTop: 10,
      pinYoungGeneration: true,
      gate: {
        baseline: 'memgate.baseline.json',
        tolerance: 0.3,
        floor: 4_000_000,
        failOnNew: false,
        failOnRemoved: false,
      },
    })
  })

  test('read sizes in bytes', () => {
    const options = resolveOptions({ limit: '50 MB', leaks: '64 KiB', samplingInterval: 4096 })
    expect(options).toMatchObject({ limit: 50_000_000, leaks: 65_536, samplingInterval: 4096 })
  })

  test.for([
    [{ limit: '50' }, 'memgate({ limit }): Invalid memory size "50": it has no unit.'],
    [{ leaks: -1 }, 'memgate({ leaks }): Invalid memory size -1: a size cannot be negative.'],
    [{ samplingInterval: 0 }, 'memgate({ samplingInterval }): must be at least 1 byte'],
    [{ sites: 2.5 }, 'memgate({ sites }): expected a whole number of at least 0, got 2.5'],
    [{ frames: 0 }, 'memgate({ frames }): expected a whole number of at least 1, got 0'],
    [{ summaryTop: '3' }, 'memgate({ summaryTop }): expected a whole number of at least 1, got "3"'],
    [{ outputDir: '' }, 'memgate({ outputDir }): expected a folder path, got ""'],
    [{ summary: 'yes' }, 'memgate({ summary }): expected true or false, got "yes"'],
    [{ limits: '5 MB' }, 'memgate({ limits }): unknown option. The options are: limit, leaks, sites'],
  ] as const)('reject %o, naming the option', ([options, message]) => {
    const call = () => memgate(options as Parameters<typeof memgate>[0])
    expect(call).toThrow(InvalidOptionError)
    expect(call).toThrow(message)
  })
})

test('a bad option stops Vitest as it loads the config, naming the option', async () => {
  // Vite also logs that the config failed to load: keep it out of this run's output.
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
  onTestFinished(() => quiet.mockRestore())
  await expect(runFixture('bad-option')).rejects.toThrow(
    'memgate({ limit }): Invalid memory size "50": it has no unit.',
  )
})
