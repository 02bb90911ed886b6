import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { type AllocationSite, measure, writeHeapProfile, YOUNG_GENERATION_FLAGS } from '../../src/index.js'
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
