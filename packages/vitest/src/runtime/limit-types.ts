// The types of a test's limits, shared by the modules that read them (limits.ts, leak-options.ts), filter
// leaks by them (leak-filter.ts) and report them; they import these rather than each other.

/** A pattern as test meta keeps it: a string, or a RegExp's source and flags. */
export type Pattern = string | { regexp: string; flags: string }

/** What a leak check leaves out. */
export interface LeakIgnore {
  /** Kinds of leaked objects (a diagnosis group: `PriceQuote`, `Map`, `(string)`): exact name or RegExp. */
  kinds: Pattern[]
  /** Allocation sites, matched against any frame as a failure shows it, `fn (file:line)`: substring or RegExp. */
  sites: Pattern[]
}

/** Leak patterns as the user gives them, to the plugin's `ignoreLeaks` or a test's `ignore`. */
export interface IgnorePatterns {
  kinds?: (string | RegExp)[]
  sites?: (string | RegExp)[]
}

/** The limits a test carries in `task.meta.memgate`, in bytes. Plain data: meta crosses to the main process. */
export interface MemgateLimits {
  /** Most memory (JS heap + external) the test body may hold at once, above its starting level. */
  peak?: number
  /** Most memory the test body may leave reachable after it returned (per run, when `runs` is over 1). */
  leaks?: number
  /** Runs of the body for the leak check; leaks are judged per run over the runs after the first. */
  runs?: number
  /** Leaks left out of the leak check, by kind or allocation site. */
  ignore?: LeakIgnore
  /**
   * `false`: a failing leak check is not diagnosed (no re-run, no heap snapshot); `{ sites: false }`: it is,
   * without tracking allocation sites.
   */
  diagnose?: boolean | { sites: boolean }
}

/**
 * The limits as a test carries them: `null` where `limitMemory(false)` / `limitLeaks(false)` turned a limit
 * off, so that it overrides the plugin's default for that test (and `ignore: false` the plugin's `ignoreLeaks`).
 */
export type DeclaredLimits = Omit<MemgateLimits, 'peak' | 'leaks' | 'ignore'> & {
  peak?: number | null
  leaks?: number | null
  ignore?: LeakIgnore | null
}

/** Options of a leak limit, besides the sizes. */
export interface LeakCheckOptions {
  /**
   * Runs of the test body (default 1). Over 1, the body runs that many times in a row and the leak limit
   * holds for the growth per run over the runs after the first: what a first run fills once (a lazy cache,
   * a module loaded on first use) passes, what grows on every run fails. Hooks run once around all runs.
   */
  runs?: number
  /**
   * Leaks to leave out of the check (like pytest-memray's `filter_fn`): `kinds` of leaked objects as a
   * failure's diagnosis names them (`'PriceQuote'`, `/^Map$/`), `sites` as its allocation sites show them
   * (`'intern.ts'`, `/loadFixtures/`). Matching memory is subtracted from the leaked figure. These add to the
   * plugin's `ignoreLeaks`; `false` drops those for this test.
   */
  ignore?: IgnorePatterns | false
  /**
   * Diagnose a failing leak check (re-run the body under leak tracking: what exists is marked before it, a heap snapshot is taken after). Default true. The re-run can
   * track where every object is allocated, so that each leaked kind gets its allocation site, but that makes
   * it slower by what the body allocates (a memo cache filling 20,000 entries: ~30–55× its measured run; far
   * more for a long async body, as V8 re-walks the heap every 50 ms meanwhile), and Vitest times the re-run
   * against the test's timeout like any run of the body. So it tracks them when the body's measured run took
   * under 2 s and the tracked re-run, estimated at twice that time plus 75 ms per MB the body allocated, fits
   * in the test's timeout; otherwise it runs at full speed and the failure says why. A tracked re-run of a
   * synchronous body that reaches the timeout anyway is followed by one without sites; a re-run that cannot
   * fit is reported as reaching the timeout, with what to do (a larger `timeout`, `{ sites: false }`,
   * `false`). `{ sites: true }` tracks them whatever the estimate, `{ sites: false }` never; `false` does not
   * diagnose.
   */
  diagnose?: boolean | { sites?: boolean }
}
