import { formatSize } from '@memgate/core'
import type { OperationsMemory } from '@memgate/core/tinybench'

export interface MemoryRow {
  name: string
  memory: OperationsMemory
  /** The same bench's figures in the `--compare` file. */
  baseline?: OperationsMemory
}

const COLUMNS = ['allocated/op', 'peak', 'retained', 'iterations'] as const

/** The memory of one group of benches, as lines of text under a title. */
export function benchMemoryTable(group: string, rows: MemoryRow[]): string {
  const cells = rows.map(({ name, memory, baseline }) => [
    name,
    withBaseline(formatSize(memory.allocatedPerOp), memory.allocatedPerOp, baseline?.allocatedPerOp),
    withBaseline(formatSize(memory.peak), memory.peak, baseline?.peak),
    withBaseline(formatSize(memory.retained), memory.retained, baseline?.retained),
    memory.iterations.toLocaleString('en'),
  ])
  const header = ['name', ...COLUMNS]
  const widths = header.map((_, at) => Math.max(...[header, ...cells].map((row) => (row[at] ?? '').length)))
  const line = (row: string[]) =>
    `   ${row.map((cell, at) => (at === 0 ? cell.padEnd(widths[at] ?? 0) : cell.padStart(widths[at] ?? 0))).join('  ')}`
  const pinned = rows.every((row) => row.memory.youngGenerationPinned)
  return [
    ` memgate: memory of ${group} (each bench run again as many times after its timing${pinned ? ', young generation pinned' : '; young generation NOT pinned: the peak may hold ~17 MB of garbage'})`,
    line(header),
    ...cells.map(line),
  ].join('\n')
}

function withBaseline(text: string, value: number, baseline: number | undefined): string {
  if (baseline === undefined || baseline === 0) return text
  return `${text} (${(value / baseline).toFixed(2)}×)`
}
