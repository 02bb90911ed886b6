// The schema of `<outputDir>/summary.json`, declared once: @memgate/vitest's summary reporter writes it and
// the CLI's `memgate report` reads it. Sizes are in bytes; paths of test files are relative to the project
// root, paths of artifacts (`profile`, `snapshot`) to the summary's folder.

/**
 * The version of summary.json this release writes, and the only one it reads. A change readers could
 * misread bumps it. A file without `version` was written before it was recorded, and is version 1.
 */
export const SUMMARY_VERSION = 1

/** `<outputDir>/summary.json`: the `top` measured tests with the highest peak, of `measured`. */
export interface Summary {
  version: typeof SUMMARY_VERSION
  /** How many tests were measured; `tests` holds the `top` with the highest peak, highest first. */
  measured: number
  top: number
  tests: SummaryEntry[]
}

/** One measured test in the summary. */
export interface SummaryEntry {
  file: string
  /** The test's full name, its describe blocks' names first. */
  name: string
  /** Vitest's state of the test: `passed`, `failed`, `skipped`, `pending`. */
  state: string
  peak: number
  allocated: number
  leaked: number
  /** The limits the test was held to: its own, else the plugin's defaults. */
  limits: SummaryLimits
  verdict: SummaryVerdict
  /** The site that allocated most (source-mapped), if any was sampled. */
  topSite?: { functionName: string; file: string; line: number; bytes: number }
  /**
   * What the heap profile samples: all the body allocated, or only what it left reachable. Always written;
   * summaries from before it was recorded lack it.
   */
  profileKeeps?: 'allocated' | 'retained'
  /** The heap profile written for a test over a limit in this run. */
  profile?: string
  /** The heap snapshot a leak diagnosis wrote in this run. */
  snapshot?: string
}

/** How a test's figures stand against its limits. */
export type SummaryVerdict = 'within' | 'over peak' | 'over leaks' | 'over both' | 'no limit'

/** A test's limits as the summary records them. */
export interface SummaryLimits {
  peak?: number
  /** The leak limit; per run over the runs after the first when `runs` is over 1 (`limitLeaks(…, { runs })`). */
  leaks?: number
  runs?: number
  /** Leaks left out of the leak check: exact kinds or substrings of sites, or a RegExp's source and flags. */
  ignore?: { kinds: SummaryPattern[]; sites: SummaryPattern[] }
  /** `false`: a failing leak check is not diagnosed; `{ sites }`: whether allocation sites are tracked. */
  diagnose?: boolean | { sites: boolean }
}

/** A leak pattern as the summary records it. */
export type SummaryPattern = string | { regexp: string; flags: string }
