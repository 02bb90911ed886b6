import type { AllocationSite } from '@memgate/core'
import { describeFrame } from '@memgate/core/internal'
import type { LeakIgnore, Pattern } from './limit-types.js'

function toRegExp(pattern: Exclude<Pattern, string>): RegExp {
  return new RegExp(pattern.regexp, pattern.flags.replace(/[gy]/g, ''))
}

/** The kind patterns as core's `diagnose({ ignore })` takes them. */
export function kindFilter(ignore: LeakIgnore): (string | RegExp)[] {
  return ignore.kinds.map((kind) => (typeof kind === 'string' ? kind : toRegExp(kind)))
}

/** Whether a frame of the site, as a failure shows it, matches one of the site patterns. */
export function siteIgnored(ignore: LeakIgnore, site: AllocationSite): boolean {
  return site.stack.some((frame) => {
    const shown = describeFrame(frame)
    return ignore.sites.some((pattern) =>
      typeof pattern === 'string' ? shown.includes(pattern) : toRegExp(pattern).test(shown),
    )
  })
}

/** Whether a kind of leaked objects matches one of the kind patterns. */
export function kindIgnored(ignore: LeakIgnore, kind: string): boolean {
  return ignore.kinds.some((pattern) =>
    typeof pattern === 'string' ? pattern === kind : toRegExp(pattern).test(kind),
  )
}

/**
 * Whether a whole group of the diagnosis is left out by its allocation sites: it has some, and every one of
 * them (source-mapped, as a failure shows them) matches a site pattern. A group also allocated elsewhere stays.
 */
export function groupSitesIgnored(ignore: LeakIgnore, sites: readonly AllocationSite[]): boolean {
  return ignore.sites.length > 0 && sites.length > 0 && sites.every((site) => siteIgnored(ignore, site))
}

/** `PriceQuote, /cache/i` */
export function describePatterns(patterns: Pattern[]): string {
  return patterns
    .map((p) => (typeof p === 'string' ? JSON.stringify(p) : `/${p.regexp}/${p.flags}`))
    .join(', ')
}
