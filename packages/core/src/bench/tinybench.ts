import type { Bench, FnOptions, Task } from 'tinybench'
import { BenchMemoryLimitError, BenchSetupError } from '../errors.js'
import { parseSize, type Size } from '../size.js'
import { youngGeneration } from '../v8/young-generation.js'
import { answerAndExit, childRequest, measureInChild } from './child.js'
import { limitViolations, type ParsedLimits, parseLimits, type TaskMemoryLimits } from './limits.js'
import { measureOperations, type OperationsMemory } from './operations.js'
import { memoryColumns } from './table.js'

/** A task's memory figures, in `task.result.memory` once `bench.run()` has resolved. */
export interface TaskMemory extends OperationsMemory {
  /** Where the memory pass ran: a child process started with the young generation pinned, or this one. */
  measuredIn: 'child' | 'this-process'
}

declare module 'tinybench' {
  interface TaskResultWithStatistics {
    /** memgate's figures (`withMemory(bench)`): set after the timing, absent for a task that did not complete. */
    memory?: TaskMemory
  }
  interface FnOptions {
    /** memgate's limits on this task (`withMemory(bench)`): `bench.run()` rejects when one is crossed. */
    memory?: TaskMemoryLimits
  }
}

export interface WithMemoryOptions {
  /**
   * Where each task's memory pass runs. `'child'`: a child process that runs this script again with
   * `--max-semi-space-size=1`; `'this-process'`: here, after the timing; `'auto'` (default): here when this
   * process was started with the young generation pinned, else in a child.
   */
  where?: 'auto' | 'child' | 'this-process'
  /** The script a child runs: default `process.argv[1]`, the script Node was started with. */
  script?: string | URL
  /**
   * Calls per memory pass: default, as many as the task's timing pass made (its samples), at least
   * `minIterations`.
   */
  iterations?: number
  /**
   * The fewest calls a memory pass makes (default 1: a task timed in a few long calls is measured in as few;
   * `allocatedPerOp` is summed from GC statistics, not sampled, so it needs no more).
   */
  minIterations?: number
  /**
   * Calls before each memory pass's measured span, so that first-call compilation and lazy set-up are not
   * counted: default, tinybench's `warmupIterations` (at most the pass's calls) when its warm-up is on, else 1.
   */
  warmup?: number
  /**
   * Bytes between two samples of V8's sampling heap profiler during a pass (a size, default 32 KiB): no figure
   * comes from it, and a larger one costs less on tasks that allocate gigabytes per call.
   */
  samplingInterval?: Size
}

interface Registered {
  fn: () => unknown
  options: FnOptions
  limits: ParsedLimits
}

let benches = 0
/** Every task's figures, read by the `result` getter of tinybench's `Task` (see exposeMemory). */
const memory = new WeakMap<Task, TaskMemory>()
const patched = new WeakSet<object>()

/**
 * Adds memory to a tinybench `Bench`: after `bench.run()` has timed the tasks, each completed task's function
 * runs again as many times under memgate's measurement, with the young generation pinned, and
 * `task.result.memory` holds allocated bytes per operation, the peak and what was retained; `bench.table()`
 * has them as columns. Call it before adding tasks. Returns the same bench.
 */
export function withMemory<B extends Bench>(bench: B, options: WithMemoryOptions = {}): B {
  const index = benches++
  if (bench.tasks.length > 0)
    throw new BenchSetupError(
      `withMemory(bench) was called after tasks were added (${bench.tasks.map((t) => `"${t.name}"`).join(', ')}): ` +
        'it must see each task function as it is added. Call it first: const bench = withMemory(new Bench(…)).',
    )
  const registered = new Map<string, Registered>()
  const samplingInterval =
    options.samplingInterval === undefined ? undefined : parseSize(options.samplingInterval)
  const request = childRequest()

  const add = bench.add.bind(bench)
  bench.add = (name, fn, fnOptions = {}) => {
    const limits = parseLimits(name, fnOptions.memory)
    // tinybench calls a task's function once as it is added, to tell whether it is async, unless told. A
    // measuring child times nothing and runs one task (the registered function): every other task's call
    // would be work, and garbage or memory kept, in the process being measured.
    if (request !== undefined) add(name, () => undefined, { ...fnOptions, async: false })
    else add(name, fn, fnOptions)
    registered.set(name, { fn, options: fnOptions, limits })
    const task = bench.getTask(name)
    if (task) exposeMemory(task)
    return bench
  }
  bench.runSync = () => {
    throw new BenchSetupError(
      'withMemory(bench) needs `await bench.run()`: measuring memory is asynchronous, so runSync() cannot do it.',
    )
  }

  const measureTask = async (
    task: Task,
    entry: Registered,
    iterations: number,
    where: TaskMemory['measuredIn'],
  ) => {
    const warmup =
      options.warmup ?? (bench.warmup ? Math.max(1, Math.min(bench.warmupIterations, iterations)) : 1)
    if (where === 'child') {
      const script = options.script ?? process.argv[1]
      if (script === undefined)
        throw new BenchSetupError(
          'withMemory(bench) cannot tell which script to run in a child (process.argv[1] is not set): ' +
            'pass withMemory(bench, { script: import.meta.url }).',
        )
      // The child's own withMemory() call has the same options (the sampling interval among them).
      return measureInChild({ script, bench: index, task: task.name, iterations, warmup })
    }
    await bench.setup(task, 'run')
    await entry.options.beforeAll?.call(task, 'run')
    try {
      return await measureOperations(entry.fn, {
        iterations,
        warmup,
        ...(samplingInterval && { samplingInterval }),
        ...(entry.options.beforeEach && { beforeEach: () => entry.options.beforeEach?.call(task, 'run') }),
        ...(entry.options.afterEach && { afterEach: () => entry.options.afterEach?.call(task, 'run') }),
      })
    } finally {
      await entry.options.afterAll?.call(task, 'run')
      await bench.teardown(task, 'run')
    }
  }

  if (request !== undefined) {
    // A measuring child: no timing. The bench the parent named measures its one task and ends the process.
    bench.run = async () => {
      if (request.bench !== index) return bench.tasks
      const task = bench.getTask(request.task)
      const entry = registered.get(request.task)
      if (!task || !entry) return bench.tasks
      answerAndExit(request, await measureTask(task, entry, request.iterations, 'this-process'))
    }
    return bench
  }

  const run = bench.run.bind(bench)
  bench.run = async () => {
    const tasks = await run()
    const where = resolveWhere(options.where)
    const violations: string[] = []
    for (const task of tasks) {
      const entry = registered.get(task.name)
      const result = task.result
      if (!entry || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) continue
      const iterations =
        options.iterations ?? Math.max(options.minIterations ?? 1, result.latency.samplesCount)
      const figures = await measureTask(task, entry, iterations, where)
      memory.set(task, { ...figures, measuredIn: where })
      violations.push(...limitViolations(task.name, entry.limits, figures))
    }
    if (violations.length > 0) throw new BenchMemoryLimitError(violations)
    return tasks
  }

  const table = bench.table.bind(bench)
  bench.table = (convert) =>
    table(convert).map((row, at) => {
      const task = bench.tasks[at]
      const figures = task && memory.get(task)
      return row && figures ? { ...row, ...memoryColumns(figures) } : row
    })
  return bench
}

function resolveWhere(where: WithMemoryOptions['where'] = 'auto'): TaskMemory['measuredIn'] {
  if (where === 'auto') return youngGeneration().pinned ? 'this-process' : 'child'
  return where
}

/**
 * `task.result` is a getter of tinybench's `Task` that builds a new object each time: it is replaced, once, on
 * the class's prototype by one that adds `memory`. Not on each task: an own property changes the task's
 * shape, and tinybench's timing loop ran ~13% slower on such tasks (BENCHMARKS.md).
 */
function exposeMemory(task: Task): void {
  const prototype = Object.getPrototypeOf(task) as object
  if (patched.has(prototype)) return
  const getter = Object.getOwnPropertyDescriptor(prototype, 'result')?.get
  if (!getter) return
  patched.add(prototype)
  Object.defineProperty(prototype, 'result', {
    configurable: true,
    get(this: Task) {
      const result = getter.call(this) as Task['result']
      const figures = memory.get(this)
      return figures ? { ...result, memory: figures } : result
    },
  })
}
