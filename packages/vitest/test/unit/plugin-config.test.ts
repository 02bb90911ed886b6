import { isAbsolute } from 'node:path'
import { describe, expect, test } from 'vitest'
import { configureProject, dropIdleSetupFile, pluginConfig, settingsFor } from '../../src/node/config.js'
import { resolveOptions } from '../../src/options.js'

describe('the plugin', () => {
  test('adds its setup file by absolute path', () => {
    const [setupFile] = (pluginConfig().test?.setupFiles ?? []) as string[]
    expect(setupFile && isAbsolute(setupFile)).toBe(true)
    expect(setupFile).toMatch(/[/\\]runtime[/\\]setup\.js$/)
  })

  const everyTest = { pinYoungGeneration: true, limit: 2e9, leaks: undefined, summary: false }
  const someTests = { ...everyTest, limit: undefined }

  test('pins child-process pools from their start when every test is measured', () => {
    for (const options of [everyTest, { ...someTests, leaks: 1e6 }, { ...someTests, summary: true }]) {
      for (const pool of ['forks', 'vmForks']) {
        const config = { pool, execArgv: ['--enable-source-maps'] }
        expect(configureProject(config, options)).toBe('start')
        expect(config.execArgv).toEqual(['--enable-source-maps', '--max-semi-space-size=1'])
      }
    }
  })

  test('swaps the threads pool for its pinned one only when every test is measured', () => {
    const every = { pool: 'threads', execArgv: [] as string[] } as Parameters<typeof configureProject>[0]
    expect(configureProject(every, everyTest)).toBe('start')
    expect(every.pool).toBe('memgate-threads')
    const some = { pool: 'threads', execArgv: [] as string[] } as Parameters<typeof configureProject>[0]
    expect(configureProject(some, someTests)).toBe('lazy')
    expect(some.pool).toBe('threads')
  })

  test('leaves the workers to pin themselves when only some tests carry limits', () => {
    for (const pool of ['forks', 'vmForks', 'threads', 'vmThreads']) {
      const config = { pool, execArgv: ['--enable-source-maps'] }
      expect(configureProject(config, someTests)).toBe('lazy')
      expect(config.execArgv).toEqual(['--enable-source-maps'])
      expect(config.pool).toBe(pool)
    }
    const settings = settingsFor(
      '/project',
      { ...resolveOptions(), pinYoungGeneration: true },
      undefined,
      'lazy',
    )
    expect(settings.pinLazily).toBe(true)
    expect(settingsFor('/project', resolveOptions(), undefined, 'start')).not.toHaveProperty('pinLazily')
  })

  test("fills in V8's sampling interval node-side when none is given", () => {
    expect(settingsFor('/project', resolveOptions()).samplingInterval).toBe(32 * 1024)
    expect(settingsFor('/project', resolveOptions({ samplingInterval: '4 KiB' })).samplingInterval).toBe(4096)
  })

  test("keeps the user's own semi-space size, and can be told not to pin", () => {
    const own = { pool: 'forks', execArgv: ['--max-semi-space-size=4'] }
    expect(configureProject(own, everyTest)).toBe(false)
    expect(own.execArgv).toEqual(['--max-semi-space-size=4'])
    const off = { pool: 'forks', execArgv: [] }
    expect(configureProject(off, { ...everyTest, pinYoungGeneration: false })).toBe(false)
    expect(off.execArgv).toEqual([])
  })

  test('drops its setup file only where the runner is its own and no baseline holds the tests', () => {
    const setupFile = ((pluginConfig().test?.setupFiles ?? []) as string[])[0] ?? ''
    const project = (runner?: string) => {
      const config = {
        pool: 'forks',
        execArgv: [],
        setupFiles: ['/project/own-setup.ts', setupFile],
      } as Parameters<typeof configureProject>[0] & Parameters<typeof dropIdleSetupFile>[0]
      if (runner) config.runner = runner
      configureProject(config, someTests)
      return config
    }
    const plain = project()
    expect(dropIdleSetupFile(plain, {})).toBe(true)
    expect(plain.setupFiles).toEqual(['/project/own-setup.ts'])
    // A baseline's gate checks each measured test after it: the setup file stays.
    const gated = project()
    const gate = { entries: {}, tolerance: { ratio: 0.3, floor: 4e6 } } as unknown as NonNullable<
      Parameters<typeof dropIdleSetupFile>[1]['gate']
    >
    expect(dropIdleSetupFile(gated, { gate })).toBe(false)
    expect(gated.setupFiles).toContain(setupFile)
    // The project's own runner: the setup file marks the plugin present and refuses limited tests if need be.
    const own = project('/project/runner.ts')
    expect(dropIdleSetupFile(own, {})).toBe(false)
    expect(own.setupFiles).toContain(setupFile)
  })
})
