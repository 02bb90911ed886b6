// The runner the plugin gives a project in Vitest 4's benchmark mode (`vitest bench`): Vitest's own, with
// tinybench's classes wrapped so that each bench's memory is measured after its timing (bench-task.ts). Only
// Vitest 4 loads it; Vitest 5 has no benchmark runner, so it is looked up rather than imported by name.
import * as vitest from 'vitest'
import { memoryTinybench, type Tinybench } from './bench-task.js'

interface BenchmarkRunnerClass {
  new (...args: never[]): { importTinybench(): Promise<Tinybench> }
}

const { BenchmarkRunner } = vitest as unknown as { BenchmarkRunner: BenchmarkRunnerClass }

export default class MemgateBenchmarkRunner extends BenchmarkRunner {
  override async importTinybench(): Promise<Tinybench> {
    return memoryTinybench(await super.importTinybench())
  }
}
