import { findSourceMap, type SourceMap } from 'node:module'
import type { AllocationSite, Frame, HeapProfile, HeapProfileNode } from '@memgate/core'

// Source maps Node keeps for the script's modules, by URL: a profile has thousands of frames in a few files.
const maps = new Map<string, SourceMap | undefined>()

/**
 * The map of a module a loader transformed in place (tsx turns `etl.ts` into JavaScript on one line and tells
 * Node the map, which Node keeps as tsx turned source maps on). A built file's map, which leads to another
 * file (memgate's own `dist/` to its `src/`), is left alone: the page tells internals apart by their files.
 */
function inPlaceMap(url: string): SourceMap | undefined {
  if (!url || url.startsWith('node:')) return undefined
  if (maps.has(url)) return maps.get(url)
  let map: SourceMap | undefined
  try {
    const found = findSourceMap(url)
    map = found?.payload.sources.includes(url) ? found : undefined
  } catch {
    map = undefined
  }
  maps.set(url, map)
  return map
}

/** The original position of a 0-based generated one, or undefined where the map says nothing. */
function original(url: string, line: number, column: number) {
  const map = inPlaceMap(url)
  if (!map || line < 0) return undefined
  const entry = map.findEntry(line, Math.max(0, column)) as Partial<{
    originalSource: string
    originalLine: number
    originalColumn: number
  }>
  if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined
  return { url: entry.originalSource, line: entry.originalLine, column: entry.originalColumn ?? 0 }
}

/** A frame (1-based) in the file its module was transformed from, or the frame itself. */
export function mapFrame(frame: Frame): Frame {
  const found = original(frame.url, frame.line - 1, frame.column - 1)
  return found ? { ...frame, url: found.url, line: found.line + 1, column: found.column + 1 } : frame
}

/** The sites with every frame source-mapped. */
export function mapSites(sites: readonly AllocationSite[]): AllocationSite[] {
  return sites.map((site) => ({ ...site, stack: site.stack.map(mapFrame) }))
}

/** The profile with every call frame source-mapped, in place. */
export function mapProfile(profile: HeapProfile): HeapProfile {
  // Iterative, as a deep recursion in user code makes a deep profile.
  const pending: HeapProfileNode[] = [profile.head]
  for (let node = pending.pop(); node; node = pending.pop()) {
    const frame = node.callFrame
    const found = original(frame.url, frame.lineNumber, frame.columnNumber)
    if (found)
      node.callFrame = { ...frame, url: found.url, lineNumber: found.line, columnNumber: found.column }
    pending.push(...node.children)
  }
  return profile
}
