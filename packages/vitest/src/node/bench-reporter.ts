import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { TaskMemory } from '@memgate/core/tinybench'
import type { RunnerTask, RunnerTestSuite } from 'vitest'
import type { Reporter, TestModule, Vitest } from 'vitest/node'
import { benchMemoryTable, type MemoryRow } from './bench-table.js'

const REGISTERED = Symbol.for('memgate.bench.registered')

interface BenchResult {
  name?: string
  memory?: TaskMemory
}

/**
 * In Vitest 4's benchmark mode: after each file, a table of its benches' memory (beside Vitest's time table),
 * and with `--compare`, each figure against the compared file's.
 */
export class BenchMemoryReporter implements Reporter {
  private vitest: Vitest | undefined
  private baseline = new Map<string, TaskMemory>()

  onInit(vitest: Vitest): void {
    this.vitest = vitest
    // Vitest 4's option; Vitest 5 has none.
    const compare = (vitest.config.benchmark as { compare?: string } | undefined)?.compare
    if (!compare) return
    try {
      const report = JSON.parse(readFileSync(resolve(vitest.config.root, compare), 'utf8')) as {
        files: { groups: { benchmarks: ({ id: string } & BenchResult)[] }[] }[]
      }
      for (const file of report.files)
        for (const group of file.groups)
          for (const bench of group.benchmarks) if (bench.memory) this.baseline.set(bench.id, bench.memory)
    } catch {
      // Vitest's own reporter says that the file cannot be read.
    }
  }

  onTestModuleEnd(module: TestModule): void {
    const groups = new Map<string, MemoryRow[]>()
    const visit = (task: RunnerTask, path: string[]) => {
      if (task.type === 'suite') {
        for (const child of (task as RunnerTestSuite).tasks) visit(child, [...path, task.name])
        return
      }
      // Vitest 5: a test's benches, which memgate's provider put in its meta.
      const inTest = task.meta.memgateBench
      if (inTest?.length) {
        groups.set([...path, task.name].join(' > '), inTest)
        return
      }
      // Vitest 4: a bench is a task of its own, its figures in its benchmark result.
      const result = (task.result as { benchmark?: BenchResult } | undefined)?.benchmark
      if (!task.meta.benchmark || !result?.memory) return
      const group = path.join(' > ')
      const baseline = this.baseline.get(task.id)
      groups.set(group, [
        ...(groups.get(group) ?? []),
        { name: task.name, memory: result.memory, ...(baseline && { baseline }) },
      ])
    }
    // The benchmark results are on the runner's tasks, which the public TestModule does not expose.
    const file = (module as unknown as { task: RunnerTestSuite }).task
    for (const task of file.tasks) visit(task, [file.name])
    for (const [group, rows] of groups) this.vitest?.logger.log(`\n${benchMemoryTable(group, rows)}`)
  }
}

/** Adds the reporter once per Vitest instance, to the benchmark mode's reporters. */
export function registerBenchReporter(vitest: Vitest): void {
  const marked = vitest as Vitest & { [REGISTERED]?: boolean }
  if (marked[REGISTERED]) return
  marked[REGISTERED] = true
  // Vitest 4's benchmark mode has reporters of its own; Vitest 5's benchmark projects use the run's.
  const config = vitest.config as { mode?: string; benchmark?: { reporters?: unknown[] } }
  if (config.mode === 'benchmark' && config.benchmark)
    config.benchmark.reporters = [...(config.benchmark.reporters ?? ['default']), new BenchMemoryReporter()]
  else vitest.config.reporters.push(new BenchMemoryReporter())
}
