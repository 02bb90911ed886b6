import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BenchChildError } from '../errors.js'
import { YOUNG_GENERATION_FLAGS } from '../v8/young-generation.js'
import type { OperationsMemory } from './operations.js'

// A task's memory pass in a child process: the benchmark script runs again, with the young generation pinned
// and this variable set; its benches skip their timing, the one named measures the one task, writes its
// figures to `out` and exits. A function cannot be sent to another process, so the script builds it again.

const VARIABLE = 'MEMGATE_BENCH_MEMORY'

/** What a measuring child is asked to do. */
export interface ChildRequest {
  /** Which `withMemory()` call of the script, in the order they run (0 for the first). */
  bench: number
  task: string
  iterations: number
  warmup: number
  out: string
}

/** The request this process was started for, if it is a measuring child. */
export function childRequest(): ChildRequest | undefined {
  const raw = process.env[VARIABLE]
  return raw === undefined ? undefined : (JSON.parse(raw) as ChildRequest)
}

/** The child's answer: written where the parent reads it, then the process ends (the rest of the script must not run). */
export function answerAndExit(request: ChildRequest, memory: OperationsMemory): never {
  writeFileSync(request.out, JSON.stringify(memory))
  process.exit(0)
}

export interface ChildCall {
  /** The script to run again: a path or a file URL. */
  script: string | URL
  bench: number
  task: string
  iterations: number
  warmup: number
}

/** Runs the script again in a child with the young generation pinned, and returns the task's figures. */
export function measureInChild(call: ChildCall): OperationsMemory {
  const folder = mkdtempSync(join(tmpdir(), 'memgate-bench-'))
  const out = join(folder, 'memory.json')
  try {
    const request: ChildRequest = {
      bench: call.bench,
      task: call.task,
      iterations: call.iterations,
      warmup: call.warmup,
      out,
    }
    const script =
      call.script instanceof URL || call.script.startsWith('file:') ? fileURLToPath(call.script) : call.script
    const result = spawnSync(
      process.execPath,
      [...process.execArgv, ...YOUNG_GENERATION_FLAGS, script, ...process.argv.slice(2)],
      {
        env: { ...process.env, [VARIABLE]: JSON.stringify(request) },
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
        maxBuffer: 2 ** 24,
      },
    )
    const stderr = result.stderr ?? ''
    if (result.error)
      throw new BenchChildError(call.task, `could not start (${result.error.message})`, stderr)
    if (result.status !== 0)
      throw new BenchChildError(call.task, `exited with ${result.status ?? result.signal}`, stderr)
    let text: string
    try {
      text = readFileSync(out, 'utf8')
    } catch {
      throw new BenchChildError(call.task, 'ended without measuring it', stderr)
    }
    return JSON.parse(text) as OperationsMemory
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
