/** The data the index of a Vitest run's artifacts embeds: everything already written for people. */
export interface IndexData {
  /** The artifacts folder, as the user named it. */
  dir: string
  /** Which tests the table holds, e.g. `the 10 of 37 measured tests with the highest peak`. */
  note: string
  rows: IndexRow[]
  /** Heap profiles in the folder for tests not in the table. */
  others: OtherProfile[]
}

/** One measured test. Sizes as `formatSize` writes them, with their bytes for sorting. */
export interface IndexRow {
  file: string
  name: string
  state: string
  peak: [string, number]
  allocated: [string, number]
  leaked: [string, number]
  limit: string
  verdict: string
  /** Whether the test went over a limit. */
  over: boolean
  top: string
  /** Links relative to the index: its flamegraph page, its heap profile and heap snapshot; empty if none. */
  page: string
  profile: string
  snapshot: string
  /** Why a profile in the folder is not linked (stale or unreadable); empty if nothing to say. */
  remark: string
}

/** A heap profile of a test not in summary.json. */
export interface OtherProfile {
  /** The profile's path in the folder. */
  path: string
  /** Links relative to the index; `page` empty when the profile could not be read. */
  page: string
  profile: string
  /** When it was written, ISO 8601. */
  written: string
  remark: string
}
