import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** A node of V8's sampling heap profile (Chrome's `.heapprofile` format). */
export interface HeapProfileNode {
  callFrame: {
    functionName: string
    scriptId: string
    url: string
    /** 0-based line of the function's start. */
    lineNumber: number
    /** 0-based column of the function's start. */
    columnNumber: number
  }
  /** Estimated bytes allocated by this frame itself (samples scaled by V8 to the whole population). */
  selfSize: number
  id: number
  children: HeapProfileNode[]
}

/** A sampling heap profile as V8 returns it and as Chrome DevTools' Memory panel opens it. */
export interface HeapProfile {
  head: HeapProfileNode
  samples: { size: number; nodeId: number; ordinal: number }[]
}

/**
 * The function name of the profile node under which memgate adds external memory (external-sites.ts): below
 * the frame that allocated it, so a flamegraph shows it as that frame's own box and a site names that frame.
 */
export const EXTERNAL_FRAME = '(external memory)'

/** A JS frame, 1-based as editors count. */
export interface Frame {
  functionName: string
  url: string
  line: number
  column: number
}

/** Where bytes were allocated: the innermost shown frame first, then its callers. */
export interface AllocationSite {
  bytes: number
  /**
   * Of `bytes`, those of external memory (Buffers, typed arrays' backing stores): sampled by memgate's pacing
   * hooks, and for allocations no hook sees, from the code running when external memory was seen to grow.
   * Absent when none.
   */
  external?: number
  stack: Frame[]
}

/** Decides which frames a report shows. */
export type FrameFilter = (frame: Frame) => boolean

const V8_PSEUDO_FRAMES = new Set([
  '(root)',
  '(program)',
  '(idle)',
  '(garbage collector)',
  '(V8 API)',
  '(BYTECODE)',
])
// memgate's own packages, installed or in this repository, and this package wherever it is loaded from
// (its `dist` or `src` folder: this module is one level below it).
const MEMGATE_FILE = /[/\\](?:@memgate[/\\]|memgate[/\\]packages[/\\])[^/\\]+[/\\]dist[/\\]/
const OWN_DIR = fileURLToPath(new URL('..', import.meta.url))
const OWN_URL = pathToFileURL(OWN_DIR).href

/**
 * The default frame filter: hides Node's own code (`node:` URLs), V8's pseudo-frames and memgate's own
 * packages, so sites point at the user's code.
 */
export function isUserFrame(frame: Frame): boolean {
  if (frame.url === '') return !V8_PSEUDO_FRAMES.has(frame.functionName) && frame.functionName !== ''
  if (frame.url.startsWith('node:')) return false
  if (frame.url.startsWith(OWN_DIR) || frame.url.startsWith(OWN_URL)) return false
  return !MEMGATE_FILE.test(frame.url)
}

/** A frame's file as a path when V8 gave a `file:` URL; any other URL (`node:…`, `evalmachine`) as it is. */
export function frameFile(url: string): string {
  return url.startsWith('file:') ? fileURLToPath(url) : url
}

/**
 * A package's file from its innermost `node_modules/` on (`node_modules/fastify/lib/reply.js`, wherever pnpm
 * or a monorepo put it), or undefined for a file of no package.
 */
export function packageFile(file: string): string | undefined {
  const at = file.replaceAll('\\', '/').lastIndexOf('node_modules/')
  return at < 0 ? undefined : file.replaceAll('\\', '/').slice(at)
}

/** Total estimated bytes in a profile. */
export function profileBytes(profile: HeapProfile): number {
  let total = 0
  walk(profile.head, [], (node) => {
    total += node.selfSize
  })
  return total
}

/**
 * The top `limit` allocation sites by bytes. A site is the stack of shown frames at the allocation (callers
 * after the innermost), so bytes from hidden frames count toward the nearest shown caller. `frames` caps
 * how many frames each stack keeps. `external: false` leaves out the external memory memgate added to the
 * profile: the JS heap's sites alone.
 */
export function topSites(
  profile: HeapProfile,
  options: { limit?: number; frames?: number; filter?: FrameFilter; external?: boolean } = {},
): AllocationSite[] {
  const { limit = 5, frames = 8, filter = isUserFrame, external: withExternal = true } = options
  const sites = new Map<string, AllocationSite>()
  walk(profile.head, [], (node, stack) => {
    if (node.selfSize <= 0) return
    const external = node.callFrame.functionName === EXTERNAL_FRAME ? node.selfSize : 0
    if (external > 0 && !withExternal) return
    const shown = stack.filter((frame) => frame.functionName !== EXTERNAL_FRAME && filter(frame))
    if (shown.length === 0) return
    const kept = shown.slice(-frames).reverse()
    // By line, as a site is shown, and without builtins (frames with no script): external memory's stacks
    // place a function at its first token where V8's profile has its parameters, and have no builtins.
    const scripted = kept.filter((f) => f.url !== '')
    const key = (scripted.length > 0 ? scripted : kept)
      .map((f) => `${f.functionName}@${f.url}:${f.line}`)
      .join('<')
    const site = sites.get(key) ?? { bytes: 0, stack: kept }
    sites.set(key, site)
    site.bytes += node.selfSize
    if (external > 0) site.external = (site.external ?? 0) + external
  })
  return [...sites.values()].sort((a, b) => b.bytes - a.bytes).slice(0, limit)
}

/** Converts V8's 0-based call frame to a 1-based {@link Frame}. */
function toFrame(callFrame: HeapProfileNode['callFrame']): Frame {
  return {
    functionName: callFrame.functionName || '(anonymous)',
    url: callFrame.url,
    line: callFrame.lineNumber + 1,
    column: callFrame.columnNumber + 1,
  }
}

function walk(
  node: HeapProfileNode,
  parents: Frame[],
  visit: (node: HeapProfileNode, stack: Frame[]) => void,
): void {
  // Iterative: a deep recursion in user code makes a deep profile.
  const pending: [HeapProfileNode, Frame[]][] = [[node, parents]]
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [current, above] = next
    const stack = [...above, toFrame(current.callFrame)]
    visit(current, stack)
    for (const child of current.children) pending.push([child, stack])
  }
}

/**
 * Writes a profile as a Chrome `.heapprofile` file (open it in Chrome DevTools: Memory panel, Load).
 * Creates the folder if needed and returns the path written.
 */
export function writeHeapProfile(path: string, profile: HeapProfile): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, JSON.stringify(profile))
  return path
}
