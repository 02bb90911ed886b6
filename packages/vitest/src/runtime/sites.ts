import { dirname, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type AllocationSite, type Frame, formatSize, isUserFrame } from '@memgate/core'
import { describeFrame, frameFile } from '@memgate/core/internal'

// Vitest and the libraries it runs assertions and spies with.
const VITEST_FILE =
  /[/\\]node_modules[/\\](?:\.pnpm[/\\][^/\\]+[/\\]node_modules[/\\])?(?:vitest|@vitest|vite|chai|tinyspy)[/\\]/
// This package's dist folder, wherever it lives (core's `isUserFrame` hides core's own frames).
const OWN_DIR = dirname(dirname(fileURLToPath(import.meta.url))) + sep

/**
 * Frames a failure shows: the user's code, not Node's, V8's builtins (no file), Vitest's or memgate's.
 * Bytes allocated in hidden frames count toward the nearest shown caller.
 */
export function isShownFrame(frame: Frame): boolean {
  if (frame.url === '' || !isUserFrame(frame) || VITEST_FILE.test(frame.url)) return false
  return !frameFile(frame.url).startsWith(OWN_DIR)
}

/** The sites under a title: the innermost frame on the first line, then each caller kept in the stack. */
export function formatSites(title: string, sites: readonly AllocationSite[]): string {
  if (sites.length === 0) return ''
  const lines = sites.flatMap((site) => {
    const [frame, ...callers] = site.stack
    if (!frame) return []
    const size = formatSize(site.bytes).padStart(9)
    const first = `${size}  ${describeFrame(frame)}${externalNote(site)}`
    return [first, ...callers.map((caller) => `${' '.repeat(9)}  called from ${describeFrame(caller)}`)]
  })
  return `\n\n${title}:\n${lines.map((line) => `  ${line}`).join('\n')}`
}

/** How much of a site's bytes are external memory, which the sampling heap profiler does not see. */
function externalNote(site: AllocationSite): string {
  if (!site.external) return ''
  return site.external >= site.bytes * 0.995
    ? '  (external memory)'
    : `  (${formatSize(site.external)} of it external memory)`
}
