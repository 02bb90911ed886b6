// Every error of the plugin, main-process side and worker side alike. One module serves both because it
// imports nothing but core's MemgateError and formatSize: runtime code (loaded in the test workers) takes
// its errors from here without pulling in any main-process code.
import { MemgateError } from '@memgate/core/errors'
import { formatSize } from '@memgate/core/size'

/** What a limit check saw: the limit, the figure it reached and that figure's two parts, in bytes. */
export interface Overrun {
  limit: number
  reached: number
  heap: number
  external: number
  /** The allocation sites, already formatted (empty when there are none to show). */
  sites: string
}

/** A test body held more memory at once than its `limitMemory()` allows. */
export class MemoryLimitError extends MemgateError {
  constructor(overrun: Overrun) {
    super(
      'MEMGATE_MEMORY_LIMIT',
      `Test was limited to ${formatSize(overrun.limit)} of peak memory but reached ` +
        `${formatSize(overrun.reached)} (${parts(overrun)})${overrun.sites}`,
    )
  }
}

/** What a leak check saw, with the parts a leak failure adds. */
export interface LeakOverrun extends Overrun {
  /** Runs of the body (over 1: `reached`, `heap` and `external` are per run over the runs after the first). */
  runs: number
  /** What the runs after the first left in all, and what the first (not judged) left. */
  total?: number
  firstRun?: number
  /** Further sections (ignored memory, the diagnosis), already formatted. */
  sections: string
}

/** A test body left more memory reachable after it returned than its `limitLeaks()` allows. */
export class LeakLimitError extends MemgateError {
  constructor(overrun: LeakOverrun) {
    const { runs, total = 0, firstRun = 0 } = overrun
    super(
      'MEMGATE_LEAK_LIMIT',
      (runs > 1
        ? `Test may leak ${formatSize(overrun.limit)} per run but left ${formatSize(overrun.reached)} reachable ` +
          `per run over runs 2–${runs} (${parts(overrun)} per run; ${formatSize(total)} in all; the first run, ` +
          `not judged, left ${formatSize(firstRun)})`
        : `Test may leak ${formatSize(overrun.limit)} but left ${formatSize(overrun.reached)} reachable ` +
          `after it returned (${parts(overrun)})`) +
        overrun.sites +
        overrun.sections,
    )
  }
}

/** A `limitMemory()` / `limitLeaks()` option that cannot be used; thrown when the test file is collected. */
export class InvalidLimitOptionError extends MemgateError {
  /** The option's name. */
  readonly option: string

  constructor(call: string, option: string, reason: string) {
    super('MEMGATE_INVALID_LIMIT_OPTION', `${call}: ${reason}.`)
    this.option = option
  }
}

/** A concurrent test carries a memory limit: tests running at once share one heap, so none can be measured. */
export class ConcurrentLimitError extends MemgateError {
  constructor(testName: string) {
    super(
      'MEMGATE_CONCURRENT_LIMIT',
      `Test "${testName}" has a memory limit (its own, or the plugin's default) but runs concurrently. ` +
        'Concurrent tests share one heap, so ' +
        "memgate cannot tell one test's memory from another's. Run it sequentially: drop `.concurrent` " +
        '(or `concurrent: true`) from the test and its describe blocks, or move it to a `describe.sequential` block.',
    )
  }
}

/** A measured test runs under a test runner that is not memgate's, so its body cannot be measured. */
export class RunnerNotMemgateError extends MemgateError {
  constructor(runner: string | undefined) {
    super(
      'MEMGATE_RUNNER_NOT_MEMGATE',
      `memgate cannot measure this test: the project's test runner${runner ? ` (${runner})` : ''} is not ` +
        "memgate's, which measures the test body. A project with a runner of its own makes it with memgate's: " +
        "`import { withMemgate } from '@memgate/vitest/runner'` and `export default withMemgate(MyRunner)` " +
        'in the file `test.runner` names.',
    )
  }
}

/**
 * `limitMemory()` or `limitLeaks()` is called in a project without the plugin: nothing would measure the test,
 * which would pass whatever it used. Thrown when the test file is collected.
 */
export class PluginMissingError extends MemgateError {
  constructor(call: string) {
    super(
      'MEMGATE_PLUGIN_MISSING',
      `${call} needs memgate's Vitest plugin, which this project does not load: without it the limit is not ` +
        'measured and the test would pass unchecked. Add it to vitest.config.ts: `import { memgate } from ' +
        "'@memgate/vitest'` and `plugins: [memgate()]` in `defineConfig({ ... })` (with `test.projects`, in " +
        'each project whose tests set limits).',
    )
  }
}

/** An option given to `memgate()` that cannot be used. */
export class InvalidOptionError extends MemgateError {
  /** The option's name. */
  readonly option: string

  constructor(option: string, reason: string) {
    super('MEMGATE_INVALID_OPTION', `memgate({ ${option} }): ${reason}`)
    this.option = option
  }
}

/**
 * An empty string among the leak patterns of the plugin's `ignoreLeaks` or a test's `ignore`: it would match
 * every kind or site, leaving out every leak.
 */
export class EmptyPatternError extends MemgateError {
  /** The option's path, `ignoreLeaks.kinds` or `ignore.sites`. */
  readonly option: string

  constructor(call: string, option: string, what: 'kind' | 'site') {
    super(
      'MEMGATE_EMPTY_PATTERN',
      `${call}: an empty string in ${option} matches every ${what}, so it would leave out every leak: remove it.`,
    )
    this.option = option
  }
}

/** A measured test used more memory than its entry in the baseline file allows. */
export class MemoryRegressionError extends MemgateError {
  constructor(growths: string[], baselineFile: string) {
    super(
      'MEMGATE_REGRESSION',
      `${growths.join('; ')} over the baseline in ${baselineFile}. If the growth is intended, ` +
        'record it: MEMGATE_UPDATE=1 vitest run (then review and commit the baseline).',
    )
  }
}

/** With `gate: { failOnNew: true }`, a measured test has no entry in the baseline file. */
export class NotInBaselineError extends MemgateError {
  constructor(id: string, baselineFile: string) {
    super(
      'MEMGATE_NOT_IN_BASELINE',
      `"${id}" is measured but has no entry in the baseline ${baselineFile}, and the gate fails new tests ` +
        '(failOnNew). Record it: MEMGATE_UPDATE=1 vitest run (then review and commit the baseline).',
    )
  }
}

const FIX =
  'Fix it by hand (a normal run never overwrites it), or delete it and write a new one with MEMGATE_UPDATE=1 vitest run.'

/** The baseline file cannot be read: not JSON, or not the shape memgate writes. */
export class BaselineError extends MemgateError {
  /** The file as the user named it. */
  readonly file: string
  readonly line: number | undefined
  readonly column: number | undefined

  constructor(file: string, reason: string, where?: { line: number; column: number; text: string }) {
    const at = where ? `:${where.line}:${where.column}` : ''
    const quote = where ? `\n\n  ${where.line} | ${where.text.trim()}\n` : ' '
    super(
      'MEMGATE_BAD_BASELINE',
      `memgate: cannot read the baseline ${file}${at}: ${reason}.${quote}\n${FIX}`,
    )
    this.file = file
    this.line = where?.line
    this.column = where?.column
  }
}

function parts(overrun: Overrun): string {
  return `JS heap ${formatSize(overrun.heap)}, external ${formatSize(overrun.external)}`
}
