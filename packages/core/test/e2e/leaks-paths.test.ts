import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, test } from 'vitest'
import { groupNewObjects } from '../../src/heap/groups.js'
import { buildRetainerGraph, formatRetainerPath, nodeName, rawPath } from '../../src/heap/retainers.js'
import { openHeapProfiler } from '../../src/heap/snapshot.js'
import { diagnoseLeaks } from '../../src/index.js'
import * as chain from '../cases/leaks/chain.js'
import * as counted from '../cases/leaks/counted.js'

const FILE = relative(process.cwd(), fileURLToPath(new URL('../cases/leaks/counted.ts', import.meta.url)))

afterEach(() => {
  counted.forget()
  chain.clear()
})

test('a variable after small integers is named by asking the live heap, not by its slot number', async () => {
  const diagnosis = await diagnoseLeaks(() => {
    for (let i = 0; i < 300; i++) counted.remember(`key-${i}`)
  })
  expect(counted.counts().misses).toBeGreaterThanOrEqual(300)
  const entries = diagnosis.groups.find((group) => group.kind === 'Entry')
  expect(entries?.count).toBe(300)
  expect(entries?.retainerPath).toBe(`module ${FILE} → seen (Map) → Entry`)
})

test('without the live heap, a slot that cannot be told for sure gets no name rather than a wrong one', () => {
  for (let i = 0; i < 50; i++) counted.remember(`unnamed-${i}`)
  const session = openHeapProfiler()
  try {
    const graph = buildRetainerGraph(session.snapshot())
    const entry = groupNewObjects(graph, 0).get('Entry')
    expect(entry).toBeDefined()
    const path = formatRetainerPath(graph, entry?.first ?? -1)
    expect(path).toMatch(/→ Entry$/)
    expect(path).not.toMatch(/calls|misses/)
  } finally {
    session.close()
  }
})

test('ignore reports what it left out', async () => {
  const diagnosis = await diagnoseLeaks(
    () => {
      for (let i = 0; i < 200; i++) counted.remember(`ignored-${i}`)
    },
    { ignore: ['Entry'] },
  )
  expect(diagnosis.groups.map((group) => group.kind)).not.toContain('Entry')
  expect(diagnosis.ignored.kinds).toEqual(['Entry'])
  expect(diagnosis.ignored.count).toBe(200)
  expect(diagnosis.ignored.bytes).toBeGreaterThanOrEqual(200 * 16)
})

test('a path through a long chain is one step with its length', () => {
  for (let i = 0; i < 2000; i++) chain.prepend(i)
  const session = openHeapProfiler()
  try {
    const graph = buildRetainerGraph(session.snapshot())
    // The link furthest from a root (in steps: the line of a long chain is short, its steps counted).
    let farthest = -1
    let steps = 0
    for (let node = 0; node < graph.snapshot.nodeCount; node++) {
      if (nodeName(graph.snapshot, node) !== 'Link') continue
      const length = rawPath(graph, node).length
      if (length > steps) {
        farthest = node
        steps = length
      }
    }
    const longest = formatRetainerPath(graph, farthest)
    // The oldest link is ~2,000 `next` steps from the module (V8 may hold some link on its own, which shortens
    // the longest shortest path now and then: seen once under a full run): the run of steps is counted.
    expect(longest).toMatch(/^module \S*chain\.ts → head \(Link\) → next \(Link\) ×1,\d{3}$/)
  } finally {
    session.close()
  }
})
