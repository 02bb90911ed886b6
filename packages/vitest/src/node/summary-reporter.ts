import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Reporter, TestModule, Vitest } from 'vitest/node'
import { summarize } from './summary.js'
import { formatSummary } from './summary-table.js'

const REGISTERED = Symbol.for('memgate.summary.registered')

/**
 * Prints the tests with the highest peak after the run and writes them to `<outputDir>/summary.json`.
 * It reads each test's meta at the end, so it works on merged blob reports too.
 */
export class SummaryReporter implements Reporter {
  private vitest: Vitest | undefined

  constructor(private readonly options: { outputDir: string; top: number }) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const summary = summarize(modules, this.options.top, this.options.outputDir)
    mkdirSync(this.options.outputDir, { recursive: true })
    writeFileSync(join(this.options.outputDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`)
    // On stderr: stdout may carry a reporter's machine-readable output (--reporter=json).
    this.vitest?.logger.error(`\n${formatSummary(summary)}`)
  }
}

/** Adds the summary reporter once per Vitest instance (`configureVitest` runs once per project). */
export function registerSummary(vitest: Vitest, options: { outputDir: string; top: number }): void {
  const marked = vitest as Vitest & { [REGISTERED]?: boolean }
  if (marked[REGISTERED]) return
  marked[REGISTERED] = true
  vitest.config.reporters.push(new SummaryReporter(options))
}
