import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HeapProfileNode } from '@memgate/core'
import { beforeAll, expect, test } from 'vitest'
import { readCapture } from '../../src/capture.js'
import { memgate, pageFrames } from '../fixtures/report-page.js'

// External memory: a typed array made with `new` (no hook sees it) and Buffers (Buffer.alloc's hook does).
const SCRIPT = `
function sampleSignal() {
  const signal = new Float64Array(3_750_000)
  for (let i = 0; i < signal.length; i++) signal[i] = Math.sin(i / 100)
  return signal
}

function readChunks() {
  const chunks = []
  for (let i = 0; i < 20; i++) chunks.push(Buffer.alloc(1_000_000, i))
  return chunks
}

globalThis.kept = [sampleSignal(), readChunks()]
`

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-external-'))
  writeFileSync(join(dir, 'external.mjs'), SCRIPT)
})

test('memgate run sites external memory, and its flamegraph shows it under the function that made it', () => {
  expect(memgate(dir, 'run', '-q', '-o', 'external.json', 'external.mjs').code).toBe(0)
  const { allocationSites: sites, profile } = readCapture(join(dir, 'external.json')).measurement
  const byName = new Map(sites.map((site) => [site.stack[0]?.functionName, site]))
  // Buffer.alloc's hook sites its Buffers on the stack that made them: exactly.
  expect(byName.get('readChunks')?.external).toBeGreaterThan(15e6)
  // No hook sees \`new Float64Array(n)\`: its 30 MB is charged to the code the heap-pacing thread interrupted
  // when it saw external memory grow, \`sampleSignal\` when that thread gets the CPU within its ~40 ms loop,
  // else the script's code after it. Either way every external byte is charged to the script's own code.
  const scriptExternal = sites
    .filter((site) => site.stack.some((frame) => frame.url.endsWith('external.mjs')))
    .reduce((sum, site) => sum + (site.external ?? 0), 0)
  expect(scriptExternal).toBeGreaterThan(45e6)

  expect(memgate(dir, 'flamegraph', 'external.json', '-o', 'external.html').code).toBe(0)
  const html = readFileSync(join(dir, 'external.html'), 'utf8')
  // The heap profiler alone saw a few hundred kB here; the profile holds the external bytes under nodes of
  // their own, below each function, and the page draws them.
  const external = externalNodes(profile.head)
  expect(external.reduce((sum, node) => sum + node.selfSize, 0)).toBeGreaterThan(45e6)
  expect(external.length).toBeGreaterThanOrEqual(2)
  expect(pageFrames(html, '(external memory)')).toHaveLength(1)
})

function externalNodes(head: HeapProfileNode): HeapProfileNode[] {
  const found: HeapProfileNode[] = []
  const pending = [head]
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.callFrame.functionName === '(external memory)') found.push(node)
    pending.push(...node.children)
  }
  return found
}
