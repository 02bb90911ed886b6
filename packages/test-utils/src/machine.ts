import { cpus, release } from 'node:os'

/** Where a benchmark's figures come from, for the line under its table. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  return `Node ${process.version} on ${process.platform} ${release()}, ${cpu} (${cpus().length} CPUs)`
}
