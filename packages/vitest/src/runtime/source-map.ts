import { fileURLToPath } from 'node:url'
import type { AllocationSite, Frame } from '@memgate/core'

/** A v3 source map with its sources resolved to paths, as Vite's module runner keeps it. */
interface ModuleSourceMap {
  map: { mappings: string }
  resolvedSources: string[]
}

// [generated column, source index, source line, source column], all 0-based.
type Segment = [number, number, number, number]

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const decodedMaps = new WeakMap<object, Segment[][]>()

/** Decodes a source map's `mappings` into segments by generated line (segments without a source dropped). */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = []
  const state = [0, 0, 0, 0]
  for (const line of mappings.split(';')) {
    const segments: Segment[] = []
    state[0] = 0
    for (const text of line.split(',')) {
      if (text === '') continue
      const fields = decodeVlq(text)
      for (let i = 0; i < 4 && i < fields.length; i++) state[i] = (state[i] ?? 0) + (fields[i] ?? 0)
      if (fields.length >= 4) segments.push([state[0] ?? 0, state[1] ?? 0, state[2] ?? 0, state[3] ?? 0])
    }
    lines.push(segments.sort((a, b) => a[0] - b[0]))
  }
  return lines
}

function decodeVlq(text: string): number[] {
  const values: number[] = []
  let value = 0
  let shift = 0
  for (const char of text) {
    const digit = BASE64.indexOf(char)
    if (digit < 0) throw new Error(`memgate: invalid character "${char}" in source map mappings`)
    value += (digit & 31) * 2 ** shift
    if (digit & 32) {
      shift += 5
      continue
    }
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2)
    value = 0
    shift = 0
  }
  return values
}

/**
 * The original position of a generated one (0-based): the last segment of that line starting at or before
 * the column, else the line's first segment; `undefined` when the line maps to nothing.
 */
export function originalPosition(
  lines: Segment[][],
  line: number,
  column: number,
): { source: number; line: number; column: number } | undefined {
  const segments = lines[line] ?? []
  let found = segments[0]
  for (const segment of segments) {
    if (segment[0] > column) break
    found = segment
  }
  return found && { source: found[1], line: found[2], column: found[3] }
}

/** The frame in the source the module was transformed from, or the frame itself when there is no map. */
export function mapFrame(frame: Frame): Frame {
  const path = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url
  const sourceMap = moduleSourceMap(path)
  if (!sourceMap) return frame
  let lines = decodedMaps.get(sourceMap)
  if (!lines) {
    lines = decodeMappings(sourceMap.map.mappings)
    decodedMaps.set(sourceMap, lines)
  }
  const position = originalPosition(lines, frame.line - 1, frame.column - 1)
  if (!position) return frame
  const source = sourceMap.resolvedSources[position.source] ?? path
  return { ...frame, url: source, line: position.line + 1, column: position.column + 1 }
}

/** The sites with every frame source-mapped. */
export function mapSites(sites: readonly AllocationSite[]): AllocationSite[] {
  return sites.map((site) => ({ ...site, stack: site.stack.map(mapFrame) }))
}

function moduleSourceMap(path: string): ModuleSourceMap | undefined {
  // Vitest's internal worker state: its module runner keeps the map of every module it transformed.
  const worker = (globalThis as { __vitest_worker__?: VitestWorker }).__vitest_worker__
  try {
    const found = worker?.evaluatedModules?.getModuleSourceMapById(path)
    return found && typeof found.map?.mappings === 'string' ? found : undefined
  } catch {
    return undefined
  }
}

interface VitestWorker {
  evaluatedModules?: { getModuleSourceMapById(id: string): ModuleSourceMap | null | undefined }
}
