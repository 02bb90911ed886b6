// Vitest 4's benchmark mode times each `bench()` with tinybench's `Task#run()` and reports the task's result
// when the task dispatches `complete`. This wraps tinybench's classes so that, after the timing, the same
// function runs as many times again under memgate's measurement, in this worker (whose young generation the
// plugin pinned), and `result.memory` is set before `complete` goes out: the reporters, `--outputJson` and
// `--compare` files get it with the rest of the result.

import { limitViolations, type ParsedLimits } from '@memgate/core/internal'
import { BenchMemoryLimitError, measureOperations } from '@memgate/core/tinybench'
import type { DeclaredLimits } from './limit-types.js'

// The parts of tinybench 2 (Vitest 4's) used here, written out: Vitest 5's types, which this package is also
// checked against, have neither a benchmark runner nor tinybench 2.
interface TaskInstance extends EventTarget {
  name: string
  runs: number
  bench: object
  fn: (this: TaskInstance) => unknown
  opts: { beforeEach?: (this: TaskInstance) => unknown; afterEach?: (this: TaskInstance) => unknown }
  result?: { error?: unknown }
  setResult(result: object): void
  run(): Promise<TaskInstance>
}
export interface Tinybench {
  Bench: new (options?: object) => object
  Task: new (bench: object, name: string, fn: () => unknown, options?: object) => TaskInstance
}

/** tinybench, with its `Bench` keeping the options it was made with and its `Task` measuring memory. */
export function memoryTinybench(tinybench: Tinybench): Tinybench {
  const optionsOf = new WeakMap<object, unknown>()

  class Bench extends tinybench.Bench {
    constructor(options: object = {}) {
      super(options)
      optionsOf.set(this, options)
    }
  }

  class Task extends tinybench.Task {
    #held: Event[] | undefined

    override dispatchEvent(event: Event): boolean {
      if (this.#held && event.type === 'complete') {
        this.#held.push(event)
        return true
      }
      return super.dispatchEvent(event)
    }

    override async run(): Promise<TaskInstance> {
      const held: Event[] = []
      this.#held = held
      try {
        await super.run()
      } finally {
        this.#held = undefined
      }
      if (this.result && !this.result.error && this.runs > 0)
        await measureMemory(this, benchLimits(optionsOf.get(this.bench)))
      for (const event of held) super.dispatchEvent(event)
      return this
    }
  }

  return { ...tinybench, Bench, Task }
}

async function measureMemory(task: TaskInstance, limits: ParsedLimits): Promise<void> {
  const { beforeEach, afterEach } = task.opts
  try {
    const memory = await measureOperations(() => task.fn.call(task), {
      iterations: task.runs,
      ...(beforeEach && { beforeEach: () => beforeEach.call(task) }),
      ...(afterEach && { afterEach: () => afterEach.call(task) }),
    })
    task.setResult({ memory: { ...memory, measuredIn: 'this-process' } } as Parameters<
      TaskInstance['setResult']
    >[0])
    const violations = limitViolations(task.name, limits, memory)
    if (violations.length > 0) fail(task, new BenchMemoryLimitError(violations))
  } catch (error) {
    fail(task, error instanceof Error ? error : new Error(String(error)))
  }
}

/** As tinybench reports a function that threw: the error on the result, then an `error` event. */
function fail(task: TaskInstance, error: Error): void {
  task.setResult({ error })
  const event = new Event('error')
  Object.defineProperty(event, 'task', { value: task })
  task.dispatchEvent(event)
}

/** The limits `limitMemory()` / `limitLeaks()` put in a bench's options: peak, and leaks as what it retains. */
function benchLimits(options: unknown): ParsedLimits {
  const declared = (options as { meta?: { memgate?: { limits?: DeclaredLimits } } } | undefined)?.meta
    ?.memgate?.limits
  const limits: ParsedLimits = {}
  if (typeof declared?.peak === 'number') limits.peak = declared.peak
  if (typeof declared?.leaks === 'number') limits.retained = declared.leaks
  return limits
}
