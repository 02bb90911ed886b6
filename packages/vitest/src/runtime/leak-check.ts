import { formatSize, type Measurement, topSites } from '@memgate/core'
import { describePatterns, type LeakIgnore, siteIgnored } from './leak-filter.js'
import { isShownFrame } from './sites.js'
import { mapSites } from './source-map.js'

/** The leak figures a check judges: of the one run, or per run over the runs after the first. */
export interface LeakReading {
  runs: number
  /** The measurement of the judged run(s). */
  judged: Measurement
  perRun: number
  perRunHeap: number
  perRunExternal: number
  /** What the first run left, when it was not judged (`runs` over 1). */
  firstRun?: number
}

export function leakReading(first: Measurement, later: Measurement | undefined, runs: number): LeakReading {
  if (!later || runs <= 1)
    return {
      runs: 1,
      judged: first,
      perRun: first.leaked,
      perRunHeap: first.leakedHeap,
      perRunExternal: first.leakedExternal,
    }
  const per = runs - 1
  return {
    runs,
    judged: later,
    perRun: later.leaked / per,
    perRunHeap: later.leakedHeap / per,
    perRunExternal: later.leakedExternal / per,
    firstRun: first.leaked,
  }
}

/**
 * Bytes per run that the sampling profile of the judged run(s) attributes to allocation sites matching
 * `ignore.sites` (objects still alive at the end only: the profile keeps retained objects in a leak check).
 */
export function siteIgnoredBytes(reading: LeakReading, ignore: LeakIgnore | undefined): number {
  if (!ignore || ignore.sites.length === 0 || reading.judged.leakSites.length === 0) return 0
  const sites = mapSites(
    topSites(reading.judged.profile, { limit: Infinity, frames: 64, filter: isShownFrame }),
  )
  const bytes = sites.filter((site) => siteIgnored(ignore, site)).reduce((sum, site) => sum + site.bytes, 0)
  return bytes / Math.max(1, reading.runs - 1)
}

/** What the ignore filter took off: the line a failure shows, and the figure judged. */
export function ignoredSection(
  ignore: LeakIgnore,
  reading: LeakReading,
  bySite: number,
  byKind: { bytes: number; kinds: string[] } | undefined,
  limit: number,
): { judged: number; ignored: number; text: string } {
  const ignored = Math.min(reading.perRun, Math.max(bySite, byKind?.bytes ?? 0))
  const judged = reading.perRun - ignored
  const parts: string[] = []
  if (ignore.kinds.length > 0)
    parts.push(
      byKind
        ? `kinds ${describePatterns(ignore.kinds)}: ${formatSize(byKind.bytes)} in the diagnosis run` +
            (byKind.kinds.length > 0 ? ` (${byKind.kinds.join(', ')})` : '')
        : `kinds ${describePatterns(ignore.kinds)}: not known (the diagnosis did not run)`,
    )
  if (ignore.sites.length > 0)
    parts.push(`sites ${describePatterns(ignore.sites)}: ${formatSize(bySite)} sampled`)
  const perRun = reading.runs > 1 ? ' per run' : ''
  const taken = parts.length > 1 ? `The larger, ${formatSize(ignored)}, is` : `${formatSize(ignored)} is`
  return {
    judged,
    ignored,
    text:
      `\n\nIgnored${perRun}: ${parts.join('; ')}. ${taken} taken off the ${formatSize(reading.perRun)}: ` +
      `${formatSize(judged)}${perRun} judged against the limit of ${formatSize(limit)}.`,
  }
}
