// What the benchmarks share: the media server in its own process, a catalogue, measuring a downloader in a
// fresh child process started the way memgate measures (a pinned young generation), and writing Markdown.
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type AllocationSite, formatSize, YOUNG_GENERATION_FLAGS, youngGeneration } from '@memgate/core'
import { benchChild } from '@memgate/test-utils/bench-child'
import { machine } from '@memgate/test-utils/machine'
import { markdownTable as table } from '@memgate/test-utils/markdown-table'
import { writeCatalogue } from '../src/catalogue/generate.js'
import type { MediaSizes } from '../src/media/generate.js'
import { type ServerProcess, startServerProcess, temporaryFolder } from '../test/helpers.js'

export { formatSize, machine, table }

/** The example's directory: benchmarks are run from there. */
export const exampleRoot = fileURLToPath(new URL('..', import.meta.url))

/** Measuring in a child process started the way memgate measures; see test-utils' bench-child. */
export const { childRequest, answer, runChild } = benchChild({
  cwd: exampleRoot,
  flags: YOUNG_GENERATION_FLAGS,
  started: () => youngGeneration().pinned,
})

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
