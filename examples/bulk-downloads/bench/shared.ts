// What the benchmarks share: the media server in its own process, a catalogue, measuring a downloader in a
// fresh child process started the way memgate measures (a pinned young generation), and writing Markdown.
import { execFileSync } from 'node:child_process'
import { cpus, release } from 'node:os'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type AllocationSite, formatSize, YOUNG_GENERATION_FLAGS, youngGeneration } from '@memgate/core'
import { writeCatalogue } from '../src/catalogue/generate.js'
import type { MediaSizes } from '../src/media/generate.js'
import { type ServerProcess, startServerProcess, temporaryFolder } from '../test/helpers.js'

export { formatSize }

/** The example's directory: benchmarks are run from there. */
export const exampleRoot = fileURLToPath(new URL('..', import.meta.url))

const CHILD_FLAG = '--child'

/** What this process was started to do, if it is a measuring child: the JSON its parent passed. */
export function childRequest<T>(): T | undefined {
  const at = process.argv.indexOf(CHILD_FLAG)
  if (at < 0) return undefined
  if (!youngGeneration().pinned)
    throw new Error(`A child must start with ${YOUNG_GENERATION_FLAGS.join(' ')}`)
  return JSON.parse(process.argv[at + 1] ?? '') as T
}

/** The child's answer: one JSON line on stdout, read back by {@link runChild}. */
export function answer(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

/**
 * Runs `script` again in a fresh Node process with memgate's young-generation flags and the request, and
 * returns the JSON it answered. One process per measurement: nothing one leaves behind skews the next.
 */
export function runChild<T>(script: URL, request: unknown): T {
  const output = execFileSync(
    process.execPath,
    [
      ...YOUNG_GENERATION_FLAGS,
      '--import',
      'tsx',
      fileURLToPath(script),
      CHILD_FLAG,
      JSON.stringify(request),
    ],
    { cwd: exampleRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 2 ** 24 },
  )
  return JSON.parse(output.trim().split('\n').at(-1) ?? '') as T
}

export interface Setup {
  server: ServerProcess
  catalogue: string
  folder: string
}

/** The media server (its own process) with these sizes, and the default 8 MB catalogue pointing at it. */
export async function setUp(sizes: MediaSizes): Promise<Setup> {
  const server = await startServerProcess(sizes)
  const folder = temporaryFolder('bench')
  const catalogue = `${folder}/contents.json`
  await writeCatalogue(catalogue, { baseUrl: server.url })
  return { server, catalogue, folder }
}

export function progress(message: string): void {
  process.stderr.write(`${message}\n`)
}

export function formatMs(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  return `${ms.toFixed(0)} ms`
}

export function formatRatio(value: number): string {
  return value >= 10 ? `${value.toFixed(0)}×` : `${value.toFixed(2)}×`
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

const SOURCE = /[/\\]examples[/\\]bulk-downloads[/\\](src[/\\].*)$/

/**
 * The example's own frames: what builtins and libraries allocate on their behalf (JSON.parse, Buffer.concat,
 * the streaming parser) counts toward the example's function that called them.
 */
export function isExampleFrame(frame: { url: string }): boolean {
  return SOURCE.test(frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url)
}

/** An allocation site as one line: `17.6 MB downloadNaive (src/download/naive.ts)`. */
export function formatSite(site: AllocationSite): string {
  const [frame] = site.stack
  if (!frame) return `${formatSize(site.bytes)} (no frame)`
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url
  const file = SOURCE.exec(path)?.[1] ?? relative(exampleRoot, path)
  return `${formatSize(site.bytes)} ${frame.functionName || '(anonymous)'} (${file})`
}

/** A Markdown table, its columns padded to one width as the repository's formatter (Biome) writes them. */
export function table(header: string[], rows: string[][]): string {
  const length = (cell: string) => [...cell].length
  const widths = header.map((_, column) =>
    Math.max(3, ...[header, ...rows].map((cells) => length(cells[column] ?? ''))),
  )
  const pad = (cell: string, width: number) => cell + ' '.repeat(width - length(cell))
  const line = (cells: string[]) =>
    `| ${widths.map((width, column) => pad(cells[column] ?? '', width)).join(' | ')} |`
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}

/** Where the figures come from, for the line under a table. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  return `Node ${process.version} on ${process.platform} ${release()}, ${cpu} (${cpus().length} CPUs)`
}
