import { isAbsolute, relative } from 'node:path'
import { type AllocationSite, type Frame, frameFile, packageFile } from '../measure/profile.js'
import { formatSize } from '../size.js'
import type { LeakDiagnosis } from './diagnosis.js'

export interface LeakReportOptions {
  /** How a frame reads. Default {@link describeFrame}. */
  describeFrame?: (frame: Frame) => string
  /** Groups below this many bytes are summed in the last line rather than listed. Default 1000. */
  minBytes?: number
  /** What the sites line says of a group whose allocating frames are all hidden. */
  hiddenSites?: string
}

/**
 * A diagnosis as lines of text, the way memgate's Vitest failures and `memgate leaks` print it: per kind,
 * largest first, the bytes and count, who holds one (`held by …`) and where they were allocated
 * (`allocated at …`), then what the smaller kinds add up to.
 */
export function leakGroupLines(diagnosis: LeakDiagnosis, options: LeakReportOptions = {}): string[] {
  const minBytes = options.minBytes ?? 1000
  const indent = ' '.repeat(13)
  const shown = diagnosis.groups.filter((group) => group.bytes >= minBytes)
  const lines = shown.map((group) => {
    const count = group.count > 0 ? `${group.count.toLocaleString('en-US')} new` : 'grown, none new'
    const external = group.externalBytes > 0 ? `, ${formatSize(group.externalBytes)} of it external` : ''
    let line = `  ${formatSize(group.bytes).padStart(9)}  ${group.kind} (${count}${external})`
    if (group.retainerPath) line += `\n${indent}held by ${group.retainerPath}`
    if (group.sites) line += `\n${indent}${allocatedAt(group.sites, options)}`
    return line
  })
  const restCount = diagnosis.count - shown.reduce((sum, group) => sum + group.count, 0)
  const restBytes = diagnosis.bytes - shown.reduce((sum, group) => sum + group.bytes, 0)
  if (lines.length === 0) lines.push(`  (no kind of ${formatSize(minBytes)} or more)`)
  if (restBytes > 0)
    lines.push(
      `  … and ${formatSize(restBytes)} in ${restCount.toLocaleString('en-US')} objects of smaller or further kinds`,
    )
  const own = diagnosis.nodeOwn
  if (own.bytes >= minBytes)
    lines.push(
      `  (not counted: ${formatSize(own.bytes)} in ${own.count.toLocaleString('en-US')} objects Node keeps for ` +
        'itself: its module loader’s caches and the source maps of the modules it loaded)',
    )
  return lines
}

/**
 * `allocated at openSession (src/orders.ts:14)`: the function with most of the group's bytes (the line where
 * it starts: V8 records functions, not statements), and what the others hold. Sites are told apart by their
 * whole stack; here those that share their innermost frame are one: `openSession` called from five routes is
 * one place to look.
 */
function allocatedAt(sites: readonly AllocationSite[], options: LeakReportOptions): string {
  const [top, ...others] = byInnermostFrame(sites)
  if (!top) return options.hiddenSites ?? 'allocated by code that is not shown (Node’s or memgate’s)'
  const describe = options.describeFrame ?? describeFrame
  const line = `allocated at ${describe(top.frame)}`
  if (others.length === 0) return line
  const rest = others.reduce((sum, site) => sum + site.bytes, 0)
  const more =
    others.length === 1 ? `at ${describe(others[0]?.frame ?? top.frame)}` : `at ${others.length} more sites`
  return `${line}, ${formatSize(top.bytes)}; ${formatSize(rest)} ${more}`
}

/** The sites' bytes by innermost frame, most first. */
function byInnermostFrame(sites: readonly AllocationSite[]): { frame: Frame; bytes: number }[] {
  const merged = new Map<string, { frame: Frame; bytes: number }>()
  for (const site of sites) {
    const frame = site.stack[0]
    if (!frame) continue
    const key = `${frame.url}:${frame.line}:${frame.column}:${frame.functionName}`
    const entry = merged.get(key)
    if (entry) entry.bytes += site.bytes
    else merged.set(key, { frame, bytes: site.bytes })
  }
  return [...merged.values()].sort((a, b) => b.bytes - a.bytes)
}

/**
 * `openSession (src/orders.ts:14)`: the file relative to the working directory when it is inside it, from
 * `node_modules/` on when it is a package's outside it (a monorepo's hoisted or pnpm's store).
 */
export function describeFrame(frame: Frame): string {
  const file = frameFile(frame.url)
  const inside = isAbsolute(file) ? relative(process.cwd(), file) : file
  const shown = inside.startsWith('..') ? (packageFile(file) ?? file) : inside
  return `${frame.functionName} (${shown}:${frame.line})`
}
