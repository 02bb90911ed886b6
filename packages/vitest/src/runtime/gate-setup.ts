// The setup file of the regression gate: after each measured test that passed, compares its figures with its
// entry in the baseline file and fails it if they grew beyond the tolerance. The verdict is made here, in the
// worker, so it is the test's own result: every reporter shows it, and blob reports carry it to --merge-reports.
import type { Test } from '@vitest/runner'
import { afterEach } from 'vitest'
import { readSettings } from './settings.js'

const settings = readSettings()
const gate = settings.gate

if (gate) {
  afterEach(async ({ task }) => {
    const test = task as Test
    // A failing test reports its own error; an expected failure is flipped after the hooks ran.
    if (!test.meta.memgateResult || test.fails || test.result?.state !== 'pass') return
    // Loaded only for a measured test, which has loaded the engine already.
    const { checkGate } = await import('./gate-check.js')
    checkGate(test, gate, settings.root)
  })
}
