import { isAbsolute } from 'node:path'
import { describe, expect, test } from 'vitest'
import { configureProject, pluginConfig } from '../../src/node/config.js'

describe('the plugin', () => {
  test('adds its setup file by absolute path', () => {
    const [setupFile] = (pluginConfig().test?.setupFiles ?? []) as string[]
    expect(setupFile && isAbsolute(setupFile)).toBe(true)
    expect(setupFile).toMatch(/[/\\]runtime[/\\]setup\.js$/)
  })

  test('pins the young generation of child-process pools only', () => {
    for (const pool of ['forks', 'vmForks', 'threads', 'vmThreads']) {
      const config = { pool, execArgv: ['--enable-source-maps'] }
      configureProject(config, { pinYoungGeneration: true })
      const pinned = pool === 'forks' || pool === 'vmForks'
      expect(config.execArgv).toEqual(
        pinned ? ['--enable-source-maps', '--max-semi-space-size=1'] : ['--enable-source-maps'],
      )
    }
  })

  test("keeps the user's own semi-space size, and can be told not to pin", () => {
    const own = { pool: 'forks', execArgv: ['--max-semi-space-size=4'] }
    configureProject(own, { pinYoungGeneration: true })
    expect(own.execArgv).toEqual(['--max-semi-space-size=4'])
    const off = { pool: 'forks', execArgv: [] }
    configureProject(off, { pinYoungGeneration: false })
    expect(off.execArgv).toEqual([])
  })
})
