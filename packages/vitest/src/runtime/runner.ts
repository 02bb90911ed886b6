// The test runner the plugin gives each project: Vitest's own, whose `runTask` measures the test body.
// `runTask` is the runner API's hook for running a test's function (Vitest 4.1 and 5 alike): it is called in
// place of the function, after the `beforeEach` hooks and before the `afterEach` ones, so the measurement
// window holds the body alone. This module stays light: the engine loads only once a test is to be measured.
import { type RunnerTestCase, TestRunner } from 'vitest'
import { PLUGIN_MARK, RUNNER_MARK, setMark } from './marks.js'
import { type RuntimeSettings, readSettings } from './settings.js'

type TestFn = () => unknown
type RunTask = (test: RunnerTestCase) => Promise<void>
// biome-ignore lint/suspicious/noExplicitAny: a mixin's base must take any arguments (TypeScript's rule).
type RunnerClass = abstract new (...args: any[]) => object

let settings: RuntimeSettings | undefined

/**
 * A runner class that measures test bodies, made from `Base`: Vitest's `TestRunner` by default, or a project's
 * own runner (`export default withMemgate(MyRunner)` in the file `test.runner` names). A `runTask` of `Base`
 * is kept: it runs as the body that memgate measures.
 */
export function withMemgate<T extends RunnerClass>(Base: T) {
  // The runner API's `runTask` is optional: Vitest's own runner has none, and then runs the test's function.
  const ownRunTask = (Base.prototype as { runTask?: RunTask }).runTask
  abstract class MemgateRunner extends Base {
    // biome-ignore lint/suspicious/noExplicitAny: as the mixin's base.
    constructor(...args: any[]) {
      super(...args)
      setMark(RUNNER_MARK)
      // The plugin is present: a project whose runner is memgate's needs no setup file for that (config.ts).
      setMark(PLUGIN_MARK)
    }

    async runTask(test: RunnerTestCase): Promise<void> {
      const body: TestFn = ownRunTask ? () => ownRunTask.call(this, test) : testFunction(test)
      settings ??= readSettings()
      if (!isMeasured(test, settings)) {
        await body()
        return
      }
      const { runMeasured } = await import('./wrap.js')
      await runMeasured(test, body, settings)
    }
  }
  return MemgateRunner
}

/** Whether the test may need measuring: it carries limits, or every test does (a default limit, the summary). */
export function isMeasured(test: RunnerTestCase, settings: RuntimeSettings): boolean {
  return (
    settings.summary ||
    settings.fence.peak !== undefined ||
    settings.fence.leaks !== undefined ||
    test.meta.memgate?.limits !== undefined
  )
}

function testFunction(test: RunnerTestCase): TestFn {
  const fn = TestRunner.getTestFn(test)
  // Vitest's own words when it finds no function for a test.
  if (!fn) throw new Error('Test function is not found. Did you add it using `setFn`?')
  return fn
}

// The class Vitest makes when the plugin sets `test.runner` to this file. `abstract` only for the mixin's
// typing: TestRunner itself is concrete, so the class is too.
export default withMemgate(TestRunner) as unknown as typeof TestRunner
