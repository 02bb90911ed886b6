import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Reporter, TestModule, TestRunEndReason, Vitest } from 'vitest/node'
import { formatBaseline, writeBaseline } from './baseline.js'
import type { GateRegistry } from './gate-config.js'
import { formatGate, gateMarkdown, plural, type UpdateOutcome, workflowCommand } from './gate-format.js'
import { type GateReport, gateReports, isGateFailure } from './gate-report.js'

/**
 * The gate's end of the run: reports what moved against each baseline file (tests the gate failed, new, removed
 * and renamed tests), writes `<outputDir>/gate.json`, updates the baseline under `MEMGATE_UPDATE`, and in GitHub
 * Actions adds a table to the step summary and annotations. It reads the test meta at the end of the run, so a
 * `--merge-reports` run of blob reports from shards reports the same as one unsharded run.
 */
export class GateReporter implements Reporter {
  private vitest: Vitest | undefined

  constructor(
    private readonly registry: GateRegistry,
    private readonly outputDir: string,
  ) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: unknown, reason: TestRunEndReason): void {
    const vitest = this.vitest
    if (!vitest) return
    // Notices go to stderr: stdout may carry a reporter's machine-readable output (--reporter=json).
    const log = (text: string) => vitest.logger.error(text)
    const shard = vitest.config.shard
    if (shard && !vitest.config.mergeReports) {
      // One shard sees only some files: it cannot tell removed tests, nor write the whole baseline.
      const gated = [...this.registry.projects.values()].some((gate) => gate.baseline)
      if (!gated && !this.registry.update) return
      log(
        `\nmemgate gate: shard ${shard.index}/${shard.count}: ${this.registry.update ? 'no test was gated (MEMGATE_UPDATE)' : 'tests were gated in their workers'}; the report, ` +
          `${this.registry.update ? 'the baseline update, ' : ''}the step summary and annotations come from vitest --merge-reports.`,
      )
      return
    }
    const reports = gateReports(modules, this.registry)
    const outcomes = new Map<GateReport, UpdateOutcome>()
    for (const report of reports) {
      const baseline = this.baselineOf(report)
      if (!baseline && !this.registry.update) {
        if (report.gateable > 0)
          log(
            `\nmemgate gate: no baseline at ${report.file}, so ${plural(report.gateable, 'measured test')} ` +
              `${report.gateable === 1 ? 'was' : 'were'} not gated.` +
              ' Write one: MEMGATE_UPDATE=1 vitest run (then review and commit it).',
          )
        continue
      }
      if (report.next) {
        if (reason === 'interrupted') {
          log(`\nmemgate gate: the run was interrupted, so ${report.file} was left as it was.`)
          continue
        }
        outcomes.set(report, this.update(report))
      }
      log(`\n${formatGate(report, outcomes.get(report))}`)
      if (!this.registry.update && report.removed.length > 0 && this.failsOnRemoved(report)) {
        vitest.logger.error(
          `memgate gate: ${plural(report.removed.length, 'test')} of ${report.file} ${report.removed.length === 1 ? 'is' : 'are'} gone (failOnRemoved). ` +
            'Record it: MEMGATE_UPDATE=1 vitest run.',
        )
        process.exitCode = 1
      }
    }
    const shown = reports.filter((report) => this.baselineOf(report) || outcomes.has(report))
    if (shown.length === 0) return
    mkdirSync(this.outputDir, { recursive: true })
    const json = shown.map(({ next: _next, path: _path, ...report }) => report)
    writeFileSync(join(this.outputDir, 'gate.json'), `${JSON.stringify({ baselines: json }, null, 2)}\n`)
    if (process.env.GITHUB_ACTIONS === 'true')
      this.github(modules, shown, outcomes, (text) => vitest.logger.log(text))
  }

  private baselineOf(report: GateReport) {
    return [...this.registry.projects.values()].find((gate) => gate.path === report.path)?.baseline
  }

  private failsOnRemoved(report: GateReport): boolean {
    return [...this.registry.projects.values()].some(
      (gate) => gate.path === report.path && gate.options.failOnRemoved,
    )
  }

  private update(report: GateReport): UpdateOutcome {
    const before = this.baselineOf(report)?.tests ?? {}
    const next = report.next ?? {}
    const ids = new Set([...Object.keys(before), ...Object.keys(next)])
    const outcome: UpdateOutcome = { written: false, added: 0, changed: 0, removed: 0 }
    for (const id of ids) {
      const old = before[id]
      const now = next[id]
      if (!old) outcome.added++
      else if (!now) outcome.removed++
      else if (old.peak !== now.peak || old.leaked !== now.leaked) outcome.changed++
    }
    const text = formatBaseline(next)
    const current = existsSync(report.path) ? readFileSync(report.path, 'utf8') : undefined
    if (current === text || (current === undefined && ids.size === 0)) return outcome
    writeBaseline(report.path, next)
    return { ...outcome, written: true }
  }

  private github(
    modules: ReadonlyArray<TestModule>,
    reports: GateReport[],
    outcomes: Map<GateReport, UpdateOutcome>,
    /** Where workflow commands go: stdout, where GitHub reads them. */
    log: (text: string) => void,
  ): void {
    const base = process.env.GITHUB_WORKSPACE || process.cwd()
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        if (test.result().state !== 'failed' || !isGateFailure(test)) continue
        const file = relative(base, module.moduleId).replaceAll('\\', '/')
        const line = String(test.location?.line ?? 1)
        for (const error of test.result().errors ?? [])
          log(workflowCommand('error', { file, line, title: `memgate: ${test.fullName}` }, error.message))
      }
    }
    for (const report of reports) {
      if (this.registry.update || !this.failsOnRemoved(report)) continue
      const text = existsSync(report.path) ? readFileSync(report.path, 'utf8') : ''
      const file = relative(base, report.path).replaceAll('\\', '/')
      for (const { id, reason } of report.removed) {
        const at = text.indexOf(JSON.stringify(id))
        const line = String(at === -1 ? 1 : text.slice(0, at).split('\n').length)
        log(
          workflowCommand(
            'error',
            { file, line, title: 'memgate: removed test' },
            `"${id}" is in the baseline but ${reason} (failOnRemoved).`,
          ),
        )
      }
    }
    const summary = process.env.GITHUB_STEP_SUMMARY
    if (!summary) return
    try {
      appendFileSync(summary, reports.map((report) => gateMarkdown(report, outcomes.get(report))).join(''))
    } catch (error) {
      this.vitest?.logger.warn(
        `memgate gate: could not append to GITHUB_STEP_SUMMARY (${summary}): ${(error as Error).message}`,
      )
    }
  }
}

/** Adds the gate's reporter once per Vitest instance (`configureVitest` runs once per project). */
export function registerGateReporter(vitest: Vitest, registry: GateRegistry, outputDir: string): void {
  vitest.config.reporters.push(new GateReporter(registry, outputDir))
}
