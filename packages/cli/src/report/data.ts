import { fileURLToPath } from 'node:url'
import { type HeapProfile, type HeapProfileNode, isUserFrame } from '@memgate/core'
import { FRAME_FIELDS, NODE_FIELDS, type ProfileTable } from './types.js'

// memgate's own built files, in this repository's layout or installed; and this package wherever it runs from.
const MEMGATE_DIST = /[/\\](?:@memgate[/\\][^/\\]+|packages[/\\](?:core|cli|vitest))[/\\]dist[/\\]/
const OWN_PACKAGE = fileURLToPath(new URL('../../', import.meta.url))

/** Whether a frame is Node's, V8's or memgate's own code rather than the user's. */
export function isInternal(url: string, functionName: string): boolean {
  const frame = { functionName, url, line: 0, column: 0 }
  if (!isUserFrame(frame)) return true
  let own = ownFiles.get(url)
  if (own === undefined) {
    const path = url.startsWith('file:') ? safePath(url) : url
    own = MEMGATE_DIST.test(path) || path.startsWith(OWN_PACKAGE)
    ownFiles.set(url, own)
  }
  return own
}

// Whether a URL is memgate's own, by URL: a profile has thousands of frames in a few hundred files.
const ownFiles = new Map<string, boolean>()

// Vitest's own packages, wherever a package manager put them (pnpm: node_modules/.pnpm/…/node_modules/vitest/).
const TEST_RUNNER = /[/\\]node_modules[/\\](?:vitest|@vitest[/\\][^/\\]+)[/\\]/

/**
 * Whether a frame is the test runner's: a frame of Vitest's packages (`runWithTimeout`, `runTest`, …), or
 * V8's code without a file (`Promise`, an anonymous builtin) that such a frame or another internal one called.
 * With these hidden a test's flamegraph starts at the test's body.
 */
export function isRunnerFrame(url: string, calledByInternal: boolean): boolean {
  if (url === '') return calledByInternal
  let runner = runnerFiles.get(url)
  if (runner === undefined) {
    runner = TEST_RUNNER.test(url.startsWith('file:') ? safePath(url) : url)
    runnerFiles.set(url, runner)
  }
  return runner
}

const runnerFiles = new Map<string, boolean>()

/** Flattens a profile's call tree, depth first, deduplicating strings and frames. */
export function toTable(profile: HeapProfile): ProfileTable {
  const strings: string[] = []
  const stringIds = new Map<string, number>()
  const frames: number[] = []
  const frameIds = new Map<string, number>()
  const nodes: number[] = []
  const intern = (text: string) => {
    let id = stringIds.get(text)
    if (id === undefined) {
      id = strings.push(text) - 1
      stringIds.set(text, id)
    }
    return id
  }
  // A frame without a file is internal or not by its caller: one frame of the table for each.
  const frameOf = (node: HeapProfileNode, calledByInternal: boolean) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame
    const internal =
      isInternal(url, functionName) || isRunnerFrame(url, calledByInternal && node.callFrame.scriptId === '0')
        ? 1
        : 0
    const key = `${functionName}\n${url}\n${lineNumber}\n${columnNumber}\n${internal}`
    let id = frameIds.get(key)
    if (id === undefined) {
      id = frames.length / FRAME_FIELDS
      const name = intern(functionName || '(anonymous)')
      // V8 counts from 0, editors from 1.
      frames.push(name, intern(url), lineNumber + 1, columnNumber + 1, internal)
      frameIds.set(key, id)
    }
    return id
  }
  // Iterative, as a deep recursion in user code makes a deep profile.
  const pending: [HeapProfileNode, number, boolean][] = [[profile.head, -1, true]]
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, parent, calledByInternal] = next
    const id = nodes.length / NODE_FIELDS
    const frame = frameOf(node, calledByInternal)
    nodes.push(parent, frame, Math.max(0, node.selfSize))
    const internal = frames[frame * FRAME_FIELDS + 4] === 1
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i]
      if (child) pending.push([child, id, internal])
    }
  }
  return { strings, frames, nodes }
}

function safePath(url: string): string {
  try {
    return fileURLToPath(url)
  } catch {
    return url
  }
}
