// The setup file the plugin adds: measures the body of every test that carries memgate limits
// (or of every test, when the plugin sets a default limit or the summary is on), and holds each measured test
// to its baseline entry when the regression gate is on. One file: each setup file costs every test file ~10 ms.
import type { Test } from '@vitest/runner'
import { afterEach, beforeEach } from 'vitest'
import { readSettings } from './settings.js'

const settings = readSettings()
const measuresEveryTest =
  settings.summary || settings.fence.peak !== undefined || settings.fence.leaks !== undefined

beforeEach(async ({ task }) => {
  if (!measuresEveryTest && !task.meta.memgate?.limits) return
  // Loaded only once a test is to be measured: a suite without limits does not pay for the engine.
  const { wrapTest } = await import('./wrap.js')
  wrapTest(task as Test, settings)
})

const gate = settings.gate
if (gate) {
  // After each measured test that passed, the gate compares its figures with its entry in the baseline file
  // and fails it if they grew beyond the tolerance. The verdict is made here, in the worker, so it is the test's
  // own result: every reporter shows it, and blob reports carry it to --merge-reports.
  afterEach(async ({ task }) => {
    const test = task as Test
    // A failing test reports its own error; an expected failure is flipped after the hooks ran.
    if (!test.meta.memgateResult || test.fails || test.result?.state !== 'pass') return
    // Loaded only for a measured test, which has loaded the engine already.
    const { checkGate } = await import('./gate-check.js')
    checkGate(test, gate, settings.root)
  })
}
