import { describe, expect, test } from 'vitest'
import { runFixture, testNamed } from './run-fixture.js'

// A limit in a project without the plugin would pass unmeasured: the file fails when it is collected. The
// plugin's setup file marks the context it runs in; in the vm pools that is the vm context, not the worker's.
describe.for(['forks', 'vmThreads'] as const)('in the %s pool', (pool) => {
  test('a file that sets a limit fails to collect without the plugin, saying how to add it', async () => {
    const run = await runFixture('no-plugin', { pool })
    expect(run.tests.map((test) => `${test.name}: ${test.state}`)).toEqual(['sets no limit: passed'])
    expect(run.moduleErrors).toHaveLength(2)
    expect(run.moduleErrors).toContainEqual(
      expect.stringMatching(
        /^limitMemory\("5 MB"\) needs memgate's Vitest plugin, which this project does not load/,
      ),
    )
    expect(run.moduleErrors).toContainEqual(
      expect.stringMatching(/^limitLeaks\("1 MB"\) needs memgate's Vitest plugin/),
    )
    for (const message of run.moduleErrors) expect(message).toContain('`plugins: [memgate()]`')
    expect(run.moduleErrorNames).toEqual(['PluginMissingError', 'PluginMissingError'])
  })

  test('the same files are collected and measured with the plugin', async () => {
    const run = await runFixture('no-plugin', { pool, config: 'vitest.plugin.config.ts' })
    expect(run.moduleErrors).toEqual([])
    expect(testNamed(run, 'over its peak limit').errors.map((error) => error.name)).toEqual([
      'MemoryLimitError',
    ])
    expect(
      testNamed(run, 'leaves 8 MB behind against a 1 MB limit').errors.map((error) => error.name),
    ).toEqual(['LeakLimitError'])
    expect(testNamed(run, 'a suite > with a leak limit').state).toBe('passed')
  })
})
