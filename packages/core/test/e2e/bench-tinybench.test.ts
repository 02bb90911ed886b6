import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'

// Real tinybench runs of test/fixtures/bench/two-tasks.bench.ts, in a Node process of their own, as a user
// runs a benchmark script: `node --import tsx two-tasks.bench.ts`.

const FIXTURE = fileURLToPath(new URL('../fixtures/bench/two-tasks.bench.ts', import.meta.url))
const CORE = fileURLToPath(new URL('../..', import.meta.url))

interface Memory {
  iterations: number
  allocatedPerOp: number
  peak: number
  retained: number
  rss?: { before: number; peak: number }
  youngGenerationPinned: boolean
  measuredIn: string
}
interface Output {
  pid?: number
  tasks?: { name: string; result: { state: string; latency: { samplesCount: number }; memory?: Memory } }[]
  table?: Record<string, string | number>[]
  error?: { name: string; code: string; message: string }
}

function runFixture(env: Record<string, string> = {}, flags: string[] = []): Output {
  let stdout: string
  try {
    stdout = execFileSync(process.execPath, [...flags, '--import', 'tsx', FIXTURE], {
      cwd: CORE,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
  } catch (error) {
    stdout = (error as { stdout: string }).stdout
  }
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Output
}

function memoryOf(output: Output, name: string): Memory {
  const memory = output.tasks?.find((task) => task.name === name)?.result.memory
  if (!memory) throw new Error(`no memory figures for ${name}: ${JSON.stringify(output)}`)
  return memory
}

describe('withMemory(bench), run from an ordinary process: each task measured in a pinned child', () => {
  let output: Output = {}
  let calls: { pid: number; calls: Record<string, number> }[] = []
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-bench-calls-'))
    try {
      output = runFixture({ BENCH_CALLS: join(dir, 'calls.jsonl') })
      calls = readFileSync(join(dir, 'calls.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test("a measuring child calls its own task's function only, and as many times as the pass", () => {
    const children = calls.filter((entry) => entry.pid !== output.pid)
    expect(children).toHaveLength(3)
    for (const child of children) {
      const [task, ...others] = Object.keys(child.calls)
      expect(others, JSON.stringify(child)).toEqual([])
      const memory = memoryOf(output, task ?? '')
      // The pass's calls and its warm-up (tinybench's warmupIterations at most, 16 by default).
      expect(child.calls[task ?? '']).toBeGreaterThanOrEqual(memory.iterations)
      expect(child.calls[task ?? '']).toBeLessThanOrEqual(memory.iterations + 100)
    }
  })

  test('the heavy task allocates ~100× more per operation than the light one', () => {
    const light = memoryOf(output, 'light')
    const heavy = memoryOf(output, 'heavy')
    // new Array(16).fill(0.5) ≈ 0.2 kB, new Array(2400).fill(0.5) ≈ 19 kB
    expect(heavy.allocatedPerOp / light.allocatedPerOp).toBeGreaterThan(50)
    expect(heavy.allocatedPerOp / light.allocatedPerOp).toBeLessThan(200)
    expect(light.allocatedPerOp).toBeGreaterThan(100)
    expect(light.allocatedPerOp).toBeLessThan(400)
  })

  test('a task that keeps what it makes shows it retained; the others retain next to nothing', () => {
    const keeps = memoryOf(output, 'keeps')
    expect(keeps.retained / keeps.iterations).toBeGreaterThan(100)
    // The peak is heap + external above the start, as read; the retained figure takes V8's code out of the
    // heap's part with its sign and counts each part from zero up. So a span whose code shrank, or that freed
    // external memory older than it, retains up to that much more than its peak: 90 kB more, 1 of 8 runs on
    // Node 24, of ~84 MB.
    expect(keeps.peak).toBeGreaterThanOrEqual(keeps.retained - 256 * 1024)
    for (const name of ['light', 'heavy']) expect(memoryOf(output, name).retained).toBeLessThan(64 * 1024)
    // Garbage-only tasks peak at the grain of the pinned young generation, not at what they allocated.
    expect(memoryOf(output, 'heavy').peak).toBeLessThan(4 * 2 ** 20)
  })

  test('the memory pass ran in a child with the young generation pinned, as many calls as the timing', () => {
    for (const task of output.tasks ?? []) {
      expect(task.result.memory?.measuredIn).toBe('child')
      expect(task.result.memory?.youngGenerationPinned).toBe(true)
      expect(task.result.memory?.iterations).toBe(task.result.latency.samplesCount)
    }
  })

  test("each pass has the child's RSS: the kernel's high-water mark over it, grown by what the task keeps", () => {
    for (const name of ['light', 'heavy', 'keeps']) {
      const { rss } = memoryOf(output, name)
      if (!rss) throw new Error(`no RSS for ${name}`)
      // A fresh Node process with tsx and memgate loaded: tens of MB before the pass.
      expect(rss.before, name).toBeGreaterThan(20e6)
      expect(rss.peak, name).toBeGreaterThanOrEqual(rss.before)
    }
    // What 'keeps' holds at the end lives in heap pages the child had to grow into during the pass.
    const keeps = memoryOf(output, 'keeps')
    expect(keeps.retained).toBeGreaterThan(4e6)
    expect((keeps.rss?.peak ?? 0) - (keeps.rss?.before ?? 0)).toBeGreaterThan(0.5 * keeps.retained)
  })

  test('bench.table() has the memory columns beside the timing ones', () => {
    const row = output.table?.find((r) => r['Task name'] === 'heavy')
    expect(Object.keys(row ?? {})).toEqual(
      expect.arrayContaining(['Throughput avg (ops/s)', 'Allocated/op', 'Peak memory', 'Retained']),
    )
    expect(row?.['Allocated/op']).toMatch(/^\d+(\.\d)? kB$/)
  })
})

test('in a process started with --max-semi-space-size=1 the pass runs in it, with the same figures (sampling every 1 MiB)', () => {
  const output = runFixture({ BENCH_SAMPLING: '1 MiB' }, ['--max-semi-space-size=1'])
  const light = memoryOf(output, 'light')
  const heavy = memoryOf(output, 'heavy')
  expect(light.measuredIn).toBe('this-process')
  expect(heavy.allocatedPerOp / light.allocatedPerOp).toBeGreaterThan(50)
})

test('a measuring child that ends without measuring fails the run with BenchChildError, naming the task and quoting its stderr', () => {
  const { error } = runFixture({ BENCH_CHILD_EXIT: '1' })
  expect(error?.name).toBe('BenchChildError')
  expect(error?.code).toBe('MEMGATE_BENCH_CHILD')
  expect(error?.message).toContain('The process that measures the memory of task "light" exited with 3.')
  expect(error?.message).toContain('the script must build the same benches, in the same order')
  expect(error?.message).toContain('two-tasks: ending on purpose (BENCH_CHILD_EXIT)')
})

describe('a limit on a task', () => {
  test('fails the run when crossed, naming the task, the figure and the limit', () => {
    const { error } = runFixture({ BENCH_LIMIT: 'heavy' })
    expect(error?.code).toBe('MEMGATE_BENCH_MEMORY_LIMIT')
    expect(error?.message).toMatch(
      /task "heavy": allocated per operation \d+(\.\d)? kB, over its limit of 2 kB/,
    )
    expect(error?.message).not.toContain('"light"')
  })

  test('passes when the task is within it', () => {
    const output = runFixture({ BENCH_LIMIT: 'light' })
    expect(output.error).toBeUndefined()
    expect(memoryOf(output, 'light').allocatedPerOp).toBeLessThan(2000 / 5)
  })
})
