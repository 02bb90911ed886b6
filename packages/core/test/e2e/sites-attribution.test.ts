import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import {
  type AllocationSite,
  type HeapProfileNode,
  measure,
  writeHeapProfile,
  YOUNG_GENERATION_FLAGS,
} from '../../src/index.js'
import * as work from '../cases/workloads.js'

const script = fileURLToPath(new URL('../cases/attribution-script.mjs', import.meta.url))
const source = readFileSync(script, 'utf8').split('\n')
/** 1-based line where `name` is declared in the script. */
const declared = (name: string) =>
  source.findIndex((line) => new RegExp(`function\\*? ${name}\\(`).test(line)) + 1

test('the top allocation site names the function and line that allocated the most', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [...YOUNG_GENERATION_FLAGS, script])
  const sites = JSON.parse(stdout) as Record<string, AllocationSite>
  for (const name of ['buildArray', 'buildObjects', 'fibonacci']) {
    expect(sites[name]?.stack[0], name).toMatchObject({
      functionName: name,
      line: declared(name),
      url: pathToFileURL(script).href,
    })
    expect(sites[name]?.bytes).toBeGreaterThan(0)
  }
})

describe('inside Vitest the site names the function (lines are those of the transformed module)', () => {
  test.for([
    ['preallocatedArray', () => work.preallocatedArray(10e6)],
    ['smallObjects', () => work.smallObjects(200_000)],
    ['fibonacci', () => work.walkFibonacci(20_000)],
    ['jsonRoundTrips', () => work.jsonRoundTrips(20)],
  ] as const)('%s', async ([name, run]) => {
    const measurement = await measure(run)
    work.held.value = undefined
    const [top] = measurement.allocationSites
    expect(top?.stack[0]).toMatchObject({ functionName: name })
    expect(top?.stack[0]?.url).toMatch(/workloads\.ts$/)
  })
})

test('frames of Node and memgate are hidden from sites', async () => {
  // Dense sampling, so that the stream machinery in node: files surely allocates some sampled bytes.
  const measurement = await measure(() => work.streamBuffers(20e6), { sampling: { interval: 1024 } })
  const urls = measurement.allocationSites.flatMap((site) => site.stack.map((frame) => frame.url))
  expect(urls.some((url) => url.endsWith('workloads.ts'))).toBe(true)
  expect(urls.filter((url) => url.startsWith('node:') || url.includes('/packages/core/src/'))).toEqual([])
})

test('the profile is written as a Chrome .heapprofile', async () => {
  const measurement = await measure(() => work.smallObjects(50_000))
  const path = writeHeapProfile(
    join(mkdtempSync(join(tmpdir(), 'memgate-')), 'deep', 'run.heapprofile'),
    measurement.profile,
  )
  const written = JSON.parse(readFileSync(path, 'utf8'))
  expect(written.head.callFrame).toMatchObject({ functionName: '(root)' })
  expect(written.head.children.length).toBeGreaterThan(0)
  expect(written.samples.length).toBeGreaterThan(0)
  expect(written.samples[0]).toEqual({
    size: expect.any(Number),
    nodeId: expect.any(Number),
    ordinal: expect.any(Number),
  })
})

describe('external memory has sites too, and the profile holds it', () => {
  test.for([
    // Made by `new`, which no hook sees: sited from the code running when the helper thread saw it grow.
    ['typed array made with new', 'sampleSignal', () => work.sampleSignal(30e6)],
    // Made by Buffer.alloc: sited by the hook, on the stack that called it.
    ['Buffers', 'megabyteBuffers', () => work.megabyteBuffers(30)],
    // Made natively by slice: sited by the hook.
    ['slice chain', 'slicedBytes', () => work.slicedBytes(30e6)],
  ] as const)('%s', async ([, name, run]) => {
    const measurement = await measure(run)
    work.held.value = undefined
    const [top] = measurement.allocationSites
    // The allocating frame is the workload or a callback of its own (`Array.from`'s, `copyChain`'s). A typed
    // array made with `new` is charged to the code the heap-pacing thread interrupted when it saw external
    // memory grow: the workload when that thread gets the CPU within its loop, else this test's caller.
    const own = top?.stack.filter((frame) => frame.url.endsWith('workloads.ts')) ?? []
    if (name !== 'sampleSignal' || own.length > 0)
      expect(own.map((frame) => frame.functionName)).toContain(name)
    else expect(top?.stack[0]?.url).toMatch(/sites-attribution\.test\.ts$/)
    // Sampled every 256 KiB of external memory, each sample weighted by the bytes since the one before.
    expect(top?.external).toBeGreaterThan(25e6)
    // The heap's own figure stays the heap's.
    expect(measurement.allocated).toBeLessThan(5e6)
    const external = findNodes(measurement.profile.head, '(external memory)')
    expect(external.reduce((sum, node) => sum + node.selfSize, 0)).toBeGreaterThan(25e6)
  })
})

function findNodes(head: HeapProfileNode, functionName: string): HeapProfileNode[] {
  const found: HeapProfileNode[] = []
  const pending = [head]
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.callFrame.functionName === functionName) found.push(node)
    pending.push(...node.children)
  }
  return found
}
