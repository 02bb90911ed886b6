// The runner the plugin gives a project in Vitest 4's benchmark mode (`vitest bench`): Vitest's own, with
// tinybench's classes wrapped so that each bench's memory is measured after its timing (bench-task.ts).
import { BenchmarkRunner } from 'vitest'
import { memoryTinybench, type Tinybench } from './bench-task.js'

export default class MemgateBenchmarkRunner extends BenchmarkRunner {
  override async importTinybench(): Promise<Tinybench> {
    return memoryTinybench(await super.importTinybench())
  }
}
