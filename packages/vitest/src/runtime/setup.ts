// The setup file the plugin adds. The runner it also sets (runner.ts) measures the test bodies; this file
// marks the test file's context as one the plugin runs in (see presence.ts), holds each measured test to its
// baseline entry when the regression gate is on, and fails a limited test when the project's runner is not
// memgate's, rather than let it pass unmeasured. One file: each setup file costs every test file ~10 ms.
import { afterEach, beforeEach, type RunnerTestCase } from 'vitest'
import { RunnerNotMemgateError } from '../errors.js'
import { hasMark, RUNNER_MARK } from './marks.js'
import { markPluginPresent } from './presence.js'
import { isMeasured } from './runner.js'
import { readSettings } from './settings.js'

// limitMemory() and limitLeaks() check for it when the file is collected, which is after this file ran.
markPluginPresent()

const settings = readSettings()

if (!hasMark(RUNNER_MARK)) {
  beforeEach(({ task }) => {
    if (isMeasured(task as RunnerTestCase, settings)) throw new RunnerNotMemgateError(settings.runner)
  })
}

const gate = settings.gate
if (gate) {
  // After each measured test that passed, the gate compares its figures with its entry in the baseline file
  // and fails it if they grew beyond the tolerance. The verdict is made here, in the worker, so it is the test's
  // own result: every reporter shows it, and blob reports carry it to --merge-reports.
  afterEach(async ({ task }) => {
    const test = task as RunnerTestCase
    // A failing test reports its own error; an expected failure is flipped after the hooks ran.
    if (!test.meta.memgateResult || test.fails || test.result?.state !== 'pass') return
    // Loaded only for a measured test, which has loaded the engine already.
    const { checkGate } = await import('./gate-check.js')
    checkGate(test, gate, settings.root)
  })
}
