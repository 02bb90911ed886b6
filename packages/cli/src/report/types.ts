/**
 * The data a report page embeds, shared by the command that writes it and the page's script that reads it.
 * Profiles are flattened into tables so a 20,000-frame profile stays small as JSON.
 */
export interface ReportData {
  command: string
  script: string
  startedAt: string
  exitCode: number | null
  stats: ReportStats
  /** Memory over time, one `[t, heap, external, rss]` row per reading (ms; bytes, heap/external above the start). */
  timeline: [number, number, number, number][]
  profiles: { allocated: ProfileTable; retained: ProfileTable | null }
}

export interface ReportStats {
  durationMs: number
  peak: number
  peakHeap: number
  peakExternal: number
  allocated: number
  leaked: number
  leakedHeap: number
  leakedExternal: number
  gc: { count: number; major: number; forced: number; durationMs: number }
}

/** A heap profile's call tree as tables. */
export interface ProfileTable {
  /** Distinct strings: function names and file URLs. */
  strings: string[]
  /**
   * Distinct frames, 5 numbers each: function name and URL (indexes in `strings`), 1-based line and column,
   * and 1 for Node's, V8's or memgate's own code ("internals"), 0 for the user's.
   */
  frames: number[]
  /** The call tree in preorder, 3 numbers per node: parent node (-1 for the root), frame, self bytes. */
  nodes: number[]
}

/** Numbers per entry of {@link ProfileTable.frames} and {@link ProfileTable.nodes}. */
export const FRAME_FIELDS = 5
export const NODE_FIELDS = 3
