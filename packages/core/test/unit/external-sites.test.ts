import { describe, expect, test } from 'vitest'
import { recordExternalSites } from '../../src/measure/external-sites.js'
import {
  EXTERNAL_FRAME,
  type HeapProfile,
  type HeapProfileNode,
  topSites,
} from '../../src/measure/profile.js'

const KiB = 1024
const thisFile = new URL(import.meta.url).pathname

function emptyProfile(): HeapProfile {
  const callFrame = { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }
  return { head: { callFrame, selfSize: 0, id: 1, children: [] }, samples: [] }
}

/** Every node of the profile under an EXTERNAL_FRAME node, with the function names above it. */
function externalNodes(profile: HeapProfile): { bytes: number; stack: string[] }[] {
  const found: { bytes: number; stack: string[] }[] = []
  const walk = (node: HeapProfileNode, stack: string[]) => {
    if (node.callFrame.functionName === EXTERNAL_FRAME) found.push({ bytes: node.selfSize, stack })
    for (const child of node.children) walk(child, [...stack, node.callFrame.functionName])
  }
  walk(profile.head, [])
  return found
}

// Named functions of their own, so each is a frame (and a site) of its own.
function allocateInBuffers(sites: ReturnType<typeof recordExternalSites>, bytes: number): void {
  sites.allocated(bytes)
}
function allocateInTypedArrays(sites: ReturnType<typeof recordExternalSites>, bytes: number): void {
  sites.allocated(bytes)
}
function lookFromTick(sites: ReturnType<typeof recordExternalSites>, external: number): void {
  sites.looked(external)
}

describe('external memory sites', () => {
  test('keep a stack once 256 KiB were allocated, weighted by the bytes since the last one', () => {
    const sites = recordExternalSites()
    allocateInBuffers(sites, 100 * KiB)
    const none = emptyProfile()
    expect(sites.addTo(none).bytes).toBe(0)
    allocateInBuffers(sites, 200 * KiB)
    const profile = emptyProfile()
    expect(sites.addTo(profile).bytes).toBe(300 * KiB)
    const [node] = externalNodes(profile)
    expect(node?.bytes).toBe(300 * KiB)
    expect(node?.stack).toContain('allocateInBuffers')
  })

  test('merge samples of one stack, and keep two stacks apart', () => {
    const sites = recordExternalSites()
    for (let i = 0; i < 4; i++) allocateInBuffers(sites, 256 * KiB)
    allocateInTypedArrays(sites, 512 * KiB)
    const profile = emptyProfile()
    expect(sites.addTo(profile).bytes).toBe(1536 * KiB)
    const nodes = externalNodes(profile)
    expect(nodes).toHaveLength(2)
    const buffers = nodes.find((n) => n.stack.includes('allocateInBuffers'))
    const arrays = nodes.find((n) => n.stack.includes('allocateInTypedArrays'))
    expect(buffers?.bytes).toBe(1024 * KiB)
    expect(arrays?.bytes).toBe(512 * KiB)
  })

  test("charge a look's growth, less what the hooks saw, to the code the tick interrupted", () => {
    const sites = recordExternalSites()
    // The first look only sets the reference.
    lookFromTick(sites, 10_000 * KiB)
    expect(sites.addTo(emptyProfile()).bytes).toBe(0)
    allocateInBuffers(sites, 100 * KiB) // seen by a hook: not charged again at the look
    lookFromTick(sites, 10_000 * KiB + 100 * KiB + 400 * KiB)
    const profile = emptyProfile()
    expect(sites.addTo(profile).bytes).toBe(500 * KiB)
    // The hook's 100 KiB were still pending (under the interval): both went to the stack sampled at the look.
    expect(externalNodes(profile).map((n) => n.stack.includes('lookFromTick'))).toEqual([true])
    // Memory given back reads as no growth.
    lookFromTick(sites, 0)
    expect(sites.addTo(emptyProfile()).bytes).toBe(500 * KiB)
  })

  test('join the heap profile by line, and topSites lists them or leaves them out', () => {
    const sites = recordExternalSites()
    allocateInBuffers(sites, 1024 * KiB)
    const profile = emptyProfile()
    sites.addTo(profile)
    // The same stack added again reuses its nodes: one external node, twice the bytes.
    sites.addTo(profile)
    expect(externalNodes(profile)).toHaveLength(1)
    const all = topSites(profile, { filter: (frame) => frame.url === thisFile })
    expect(all).toHaveLength(1)
    expect(all[0]?.external).toBe(2048 * KiB)
    expect(all[0]?.bytes).toBe(2048 * KiB)
    expect(all[0]?.stack[0]?.functionName).toBe('allocateInBuffers')
    expect(topSites(profile, { filter: (frame) => frame.url === thisFile, external: false })).toEqual([])
  })
})
