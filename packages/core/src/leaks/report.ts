import { isAbsolute, relative } from 'node:path'
import { type AllocationSite, type Frame, frameFile } from '../measure/profile.js'
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
  return lines
}

/**
 * `allocated at openSession (src/orders.ts:14)`: the site with most of the group's bytes (the line where the
 * allocating function starts: V8 records functions, not statements), and what the others hold.
 */
function allocatedAt(sites: readonly AllocationSite[], options: LeakReportOptions): string {
  const [top, ...others] = sites
  const frame = top?.stack[0]
  if (!top || !frame)
    return options.hiddenSites ?? 'allocated by code that is not shown (Node’s or memgate’s)'
  const describe = options.describeFrame ?? describeFrame
  const line = `allocated at ${describe(frame)}`
  if (others.length === 0) return line
  const rest = others.reduce((sum, site) => sum + site.bytes, 0)
  const more =
    others.length === 1 ? `at ${describe(others[0]?.stack[0] ?? frame)}` : `at ${others.length} more sites`
  return `${line}, ${formatSize(top.bytes)}; ${formatSize(rest)} ${more}`
}

/** `openSession (src/orders.ts:14)`: the file relative to the working directory when it is inside it. */
export function describeFrame(frame: Frame): string {
  const file = frameFile(frame.url)
  const shown = isAbsolute(file) ? relative(process.cwd(), file) : file
  return `${frame.functionName} (${shown.startsWith('..') ? file : shown}:${frame.line})`
}
