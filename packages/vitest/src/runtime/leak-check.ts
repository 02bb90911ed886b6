import { formatSize, type LeakGroup, type Measurement, topSites } from '@memgate/core'
import { describePatterns, kindIgnored, siteIgnored } from './leak-filter.js'
import type { LeakIgnore, Pattern } from './limit-types.js'
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

/**
 * What the ignore filter took off: the line a failure shows, and the figure judged. `plugin`: the plugin's
 * `ignoreLeaks`, whose patterns the line tells apart from the test's own.
 */
export function ignoredSection(
  ignore: LeakIgnore,
  reading: LeakReading,
  bySite: number,
  byKind: { bytes: number; kinds: string[]; groups?: readonly LeakGroup[] } | undefined,
  limit: number,
  plugin?: LeakIgnore,
): { judged: number; ignored: number; text: string } {
  const ignored = Math.min(reading.perRun, Math.max(bySite, byKind?.bytes ?? 0))
  const judged = reading.perRun - ignored
  // The diagnosis left groups out by kind, or (when it tracked allocation sites) by their sites.
  const groups = byKind?.groups ?? []
  const bySiteGroups = groups.filter((group) => !kindIgnored(ignore, group.kind))
  const sum = (list: readonly LeakGroup[]) => list.reduce((total, group) => total + group.bytes, 0)
  const kindBytes = (byKind?.bytes ?? 0) - sum(bySiteGroups)
  const kindNames = (byKind?.kinds ?? []).filter((kind) => kindIgnored(ignore, kind))
  const parts: string[] = []
  if (ignore.kinds.length > 0)
    parts.push(
      byKind
        ? `kinds ${bySource(ignore.kinds, plugin?.kinds)}: ${formatSize(kindBytes)} in the diagnosis run` +
            (kindNames.length > 0 ? ` (${kindNames.join(', ')})` : '')
        : `kinds ${bySource(ignore.kinds, plugin?.kinds)}: not known (the diagnosis did not run)`,
    )
  if (ignore.sites.length > 0)
    parts.push(
      `sites ${bySource(ignore.sites, plugin?.sites)}: ${formatSize(bySite)} sampled` +
        (bySiteGroups.length > 0
          ? `, ${formatSize(sum(bySiteGroups))} in the diagnosis run (${bySiteGroups.map((group) => group.kind).join(', ')}, allocated only there)`
          : ''),
    )
  const perRun = reading.runs > 1 ? ' per run' : ''
  const taken =
    bySiteGroups.length > 0
      ? `The larger of the ${formatSize(bySite)} sampled and the ${formatSize(byKind?.bytes ?? 0)} the diagnosis run left out, ${formatSize(ignored)}, is`
      : parts.length > 1
        ? `The larger, ${formatSize(ignored)}, is`
        : `${formatSize(ignored)} is`
  return {
    judged,
    ignored,
    text:
      `\n\nIgnored${perRun}: ${parts.join('; ')}. ${taken} taken off the ${formatSize(reading.perRun)}: ` +
      `${formatSize(judged)}${perRun} judged against the limit of ${formatSize(limit)}.`,
  }
}

/** `"CacheEntry" (from memgate({ ignoreLeaks })), "Label" (from the test)`; the patterns alone when all are the test's. */
function bySource(patterns: Pattern[], plugin: Pattern[] = []): string {
  const key = (pattern: Pattern) => JSON.stringify(pattern)
  const fromPlugin = new Set(plugin.map(key))
  const shared = patterns.filter((pattern) => fromPlugin.has(key(pattern)))
  if (shared.length === 0) return describePatterns(patterns)
  const own = patterns.filter((pattern) => !fromPlugin.has(key(pattern)))
  const text = `${describePatterns(shared)} (from memgate({ ignoreLeaks }))`
  return own.length > 0 ? `${text}, ${describePatterns(own)} (from the test)` : text
}
