import { expect, onTestFinished, test, vi } from 'vitest'
import { runFixture } from './run-fixture.js'

// Each option's checks: test/unit/options-resolve.test.ts. This is the wiring: Vitest stops on a bad one.
test('a bad option stops Vitest as it loads the config, naming the option', async () => {
  // Vite also logs that the config failed to load: keep it out of this run's output.
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
  onTestFinished(() => quiet.mockRestore())
  await expect(runFixture('bad-option')).rejects.toThrow(
    'memgate({ limit }): Invalid memory size "50": it has no unit.',
  )
})
