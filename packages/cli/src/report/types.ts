/**
 * The data a report page embeds, shared by the command that writes it and the page's script that reads it.
 * Profiles are flattened into tables so a 20,000-frame profile stays small as JSON.
 */
export interface ReportData {
  /** What the page is about: the script run, or the test's name. */
  title: string
  /** Heading of the figures panel, e.g. `Run` or `Test`. */
  factsTitle: string
  /** The figures panel in order: label and text, sizes already written with `formatSize`. */
  facts: [string, string][]
  /**
   * Memory over time, one `[t, heap, external, rss]` row per reading (ms; bytes, heap/external above the
   * start). Empty when there is none (a test's heap profile): the page then has no chart.
   */
  timeline: [number, number, number, number][]
  /**
   * A peak limit to draw across the chart (bytes, on the scale of heap + external above the start, as the
   * limit is judged), with where the readings first went over it; `null` for none.
   */
  limit: number | null
  /** The two views; `null` when the page has no such profile. */
  profiles: { allocated: ProfileTable | null; retained: ProfileTable | null }
  /** Why a view has no profile, said on its disabled button. */
  absent: { allocated: string; retained: string }
  /** A link back to the index this page belongs to, relative to the page; empty for none. */
  back: string
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
