// The benchmark provider the plugin gives Vitest 5's benchmark projects (`benchmark.provider`): what Vitest's
// built-in provider does (a tinybench `Bench` per group of `bench()` registrations), with memgate's
// `withMemory()` on it, measuring in this worker (whose young generation the plugin pinned). The figures go
// into the result (`bench(…).run()` resolves to it) and into the test's meta, for the plugin's reporter; a
// registration's `{ memory: { peak, allocated, retained } }` options are limits, as in `withMemory()`.
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { type TaskMemory, withMemory } from '@memgate/core/tinybench'

/** tinybench's `Bench`, typed through core (this package does not depend on tinybench itself). */
type Bench = Parameters<typeof withMemory>[0]
type BenchClass = new (options?: object) => Bench

declare module 'vitest' {
  interface TaskMeta {
    /** Each bench's memory, by name, for the plugin's reporter (Vitest 5's benchmark projects). */
    memgateBench?: { name: string; memory: TaskMemory }[]
  }
}

interface Registration {
  name: string
  fn: () => unknown
  fnOpts?: object
}
interface Group {
  test: {
    fullTestName?: string
    context: { signal?: AbortSignal }
    meta: { memgateBench?: { name: string; memory: TaskMemory }[] }
  }
  config: { retainSamples?: boolean }
  registrations: Registration[]
  options?: object
}

/** tinybench as Vitest 5 has it: a dependency of Vitest, not of the plugin. */
async function tinybench(): Promise<{ Bench: BenchClass }> {
  const fromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'))
  return (await import(pathToFileURL(fromVitest.resolve('tinybench')).href)) as { Bench: BenchClass }
}

let groups = 0

export default {
  async run({ test, config, registrations, options }: Group) {
    const { Bench } = await tinybench()
    const bench = withMemory(
      new Bench({
        ...(test.context.signal && { signal: test.context.signal }),
        name: `${test.fullTestName ?? ''} ${++groups}`,
        retainSamples: config.retainSamples ?? false,
        ...options,
        now: () => performance.now(),
      }),
      { where: 'this-process' },
    )
    for (const { name, fn, fnOpts } of registrations) bench.add(name, fn, fnOpts)
    try {
      await bench.run()
    } finally {
      const measured = bench.tasks.flatMap((task) =>
        'memory' in task.result && task.result.memory
          ? [{ name: task.name, memory: task.result.memory }]
          : [],
      )
      if (measured.length > 0) test.meta.memgateBench = [...(test.meta.memgateBench ?? []), ...measured]
    }
    const errors = bench.tasks.flatMap((task) => (task.result.state === 'errored' ? [task.result.error] : []))
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new AggregateError(errors, 'Some benchmarks failed')
    return bench.tasks.map((task) => {
      if (task.result.state !== 'completed')
        throw new Error(`task "${task.name}" did not complete: received "${task.result.state}"`)
      return { ...task.result, name: task.name }
    })
  },
}
