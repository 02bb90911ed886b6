/// <reference lib="dom" />
import { FRAME_FIELDS, NODE_FIELDS, type ProfileTable } from '../types.js'

/** A frame of the flamegraph: a call stack's node, its own bytes and those of everything it called. */
export interface FlameNode {
  /** Index in the order frames were created, parents first. */
  id: number
  frame: number
  self: number
  total: number
  depth: number
  parent: FlameNode | null
  children: FlameNode[]
}

/** What the flamegraph shows of a frame. */
export interface FrameInfo {
  name: string
  url: string
  line: number
  column: number
  internal: boolean
  /** Lower-cased name and URL, for search. */
  text: string
}

/** Reads a profile table's frames. */
export function readFrames(table: ProfileTable): FrameInfo[] {
  const { frames, strings } = table
  const read: FrameInfo[] = []
  for (let i = 0; i < frames.length; i += FRAME_FIELDS) {
    const name = strings[frames[i] ?? 0] ?? ''
    const url = strings[frames[i + 1] ?? 0] ?? ''
    const [line = 0, column = 0, internal = 0] = [frames[i + 2], frames[i + 3], frames[i + 4]]
    read.push({ name, url, line, column, internal: internal === 1, text: `${name}\n${url}`.toLowerCase() })
  }
  return read
}

/**
 * Builds the call tree to draw. With `hideInternal`, internal frames other than the root are left out: their
 * own bytes go to the nearest shown caller and their callees move up to it, merged with same-frame siblings.
 * Children are sorted heaviest first.
 */
export function buildTree(table: ProfileTable, frames: FrameInfo[], hideInternal: boolean): FlameNode {
  const count = table.nodes.length / NODE_FIELDS
  const shown: FlameNode[] = new Array(count)
  // Drawn frames by caller and frame, keyed `caller's id * frame count + frame`.
  const byCallerAndFrame = new Map<number, FlameNode>()
  const created: FlameNode[] = []
  for (let i = 0; i < count; i++) {
    const parentIndex = table.nodes[i * NODE_FIELDS] ?? -1
    const frame = table.nodes[i * NODE_FIELDS + 1] ?? 0
    const self = table.nodes[i * NODE_FIELDS + 2] ?? 0
    const parent = parentIndex >= 0 ? shown[parentIndex] : undefined
    let node: FlameNode
    if (!parent) node = add(null, frame)
    else if (hideInternal && frames[frame]?.internal) node = parent
    else node = childOf(parent, frame)
    node.self += self
    shown[i] = node
  }
  // Parents were created before their children: adding up in reverse reaches every parent complete.
  for (let i = created.length - 1; i >= 0; i--) {
    const node = created[i] as FlameNode
    node.total += node.self
    if (node.parent) node.parent.total += node.total
  }
  for (const node of created) node.children.sort((a, b) => b.total - a.total)
  return created[0] ?? add(null, 0)

  function childOf(parent: FlameNode, frame: number): FlameNode {
    const key = parent.id * frames.length + frame
    let child = byCallerAndFrame.get(key)
    if (!child) {
      child = add(parent, frame)
      byCallerAndFrame.set(key, child)
    }
    return child
  }

  function add(parent: FlameNode | null, frame: number): FlameNode {
    const depth = parent ? parent.depth + 1 : 0
    const node = { id: created.length, frame, self: 0, total: 0, depth, parent, children: [] }
    parent?.children.push(node)
    created.push(node)
    return node
  }
}

/** The frames from the root down to `node`. */
export function pathTo(node: FlameNode): FlameNode[] {
  const path: FlameNode[] = []
  for (let at: FlameNode | null = node; at; at = at.parent) path.unshift(at)
  return path
}

/** Whether `node` is `ancestor` or below it. */
export function isWithin(node: FlameNode, ancestor: FlameNode): boolean {
  for (let at: FlameNode | null = node; at; at = at.parent) if (at === ancestor) return true
  return false
}

/** Bytes under `root` in frames matching `query`, each counted once even when matches nest. */
export function matchedBytes(root: FlameNode, frames: FrameInfo[], query: string): number {
  let bytes = 0
  const pending = [root]
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (frames[node.frame]?.text.includes(query)) bytes += node.total
    else pending.push(...node.children)
  }
  return bytes
}
