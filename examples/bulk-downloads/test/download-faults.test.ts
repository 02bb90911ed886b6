import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { writeCatalogue } from '../src/catalogue/generate.js'
import { downloadFixed } from '../src/download/fixed.js'
import type { FixedJobOptions } from '../src/download/job.js'
import { JOURNAL_NAME } from '../src/download/journal.js'
import { downloadNaive } from '../src/download/naive.js'
import type { Fault } from '../src/server/faults.js'
import { type MediaServer, startMediaServer } from '../src/server/media-server.js'
import {
  expectedDigest,
  expectedNames,
  fileDigest,
  listFolder,
  removeFolder,
  temporaryFolder,
  videoIds,
} from './helpers.js'

const sizes = { mp4: 300_000, png: 30_000 }
const folder = temporaryFolder('faults')
const catalogue = join(folder, 'contents.json')
const LIMIT = 6
let server: MediaServer
let ids: string[]
let target: string
let run = 0

beforeAll(async () => {
  server = await startMediaServer({ sizes, trickle: { bytes: 20_000, delayMs: 10 } })
  await writeCatalogue(catalogue, { baseUrl: server.url, videos: 10, others: 5 })
  ids = videoIds(catalogue)
  // The faults hit the third video; the others must not notice.
  target = ids[2] ?? ''
})
beforeEach(() => {
  server.faults.clear()
  server.log.length = 0
})
afterAll(async () => {
  await server.close()
  removeFolder(folder)
})

/** Runs the fixed downloader over the first 6 videos with faults queued, into a new folder. */
async function runWith(faults: Record<string, Fault[]>, options: Partial<FixedJobOptions> = {}) {
  for (const [path, queue] of Object.entries(faults)) server.faults.add(path, queue)
  const out = join(folder, `run-${++run}`)
  const report = await downloadFixed({ catalogue, out, limit: LIMIT, backoffMs: 5, ...options })
  return { out, report }
}

const mp4 = (id: string) => `/videos/${id}.mp4`
const png = (id: string) => `/thumbnails/${id}.png`
const requestsTo = (path: string) => server.log.filter((record) => record.path === path)

/** Every video but `missing` is there, byte for byte; `missing` left nothing at all, not even a temp file. */
function expectAllBut(out: string, missing: string[]): void {
  const present = ids.slice(0, LIMIT).filter((id) => !missing.includes(id))
  expect(listFolder(out)).toEqual([...expectedNames(present), JOURNAL_NAME].sort())
  for (const id of present) {
    expect(fileDigest(join(out, `${id}.mp4`))).toBe(expectedDigest('mp4', id, sizes))
    expect(fileDigest(join(out, `${id}.png`))).toBe(expectedDigest('png', id, sizes))
  }
}

describe('the fixed downloader, when the server fails', () => {
  test('reports a 404 without retrying, and keeps nothing of that video', async () => {
    const { out, report } = await runWith({ [mp4(target)]: ['404'] })
    expect(report.failed).toEqual([{ id: target, error: `GET ${server.url}${mp4(target)} answered 404` }])
    expect(report).toMatchObject({ downloaded: LIMIT - 1, retries: 0 })
    expect(requestsTo(mp4(target))).toHaveLength(1)
    expectAllBut(out, [target])
  })

  test('retries a 500 and a 503 with backoff, then succeeds', async () => {
    const { out, report } = await runWith({ [mp4(target)]: ['500', '503'] })
    expect(report).toMatchObject({ downloaded: LIMIT, failed: [], retries: 2 })
    expect(requestsTo(mp4(target)).map((record) => record.status)).toEqual([500, 503, 200])
    expectAllBut(out, [])
  })

  test('gives up after its attempts when the 500s go on, and reports it', async () => {
    const { out, report } = await runWith({ [png(target)]: ['500', '500', '500'] }, { attempts: 3 })
    expect(report.failed).toEqual([{ id: target, error: `GET ${server.url}${png(target)} answered 500` }])
    expect(requestsTo(png(target))).toHaveLength(3)
    // The MP4 of that video came whole, but without its PNG it is not kept either.
    expect(requestsTo(mp4(target)).map((record) => record.complete)).toEqual([true])
    expectAllBut(out, [target])
  })

  test('retries a connection reset mid-body and keeps only the whole file', async () => {
    const { out, report } = await runWith({ [mp4(target)]: ['reset', 'reset'] })
    expect(report).toMatchObject({ downloaded: LIMIT, failed: [], retries: 2 })
    expect(requestsTo(mp4(target)).map((record) => record.complete)).toEqual([false, false, true])
    expectAllBut(out, [])
  })

  test('waits out a slow trickle and keeps the whole file', async () => {
    const { out, report } = await runWith({ [mp4(target)]: ['trickle'] })
    expect(report).toMatchObject({ downloaded: LIMIT, failed: [], retries: 0 })
    expect(requestsTo(mp4(target))).toMatchObject([{ fault: 'trickle', complete: true }])
    expectAllBut(out, [])
  })

  test('gives up on a stalled body after the idle timeout and downloads it again', async () => {
    const { out, report } = await runWith({ [mp4(target)]: ['stall'] }, { idleTimeoutMs: 300 })
    expect(report).toMatchObject({ downloaded: LIMIT, failed: [], retries: 1 })
    expect(requestsTo(mp4(target)).map((record) => record.complete)).toEqual([false, true])
    expectAllBut(out, [])
  })

  test('rejects a body that is not an MP4 at its first bytes, reports it and keeps nothing', async () => {
    const { out, report } = await runWith({ [mp4(target)]: ['wrong-magic'] })
    expect(report.failed).toEqual([
      {
        id: target,
        error: `GET ${server.url}${mp4(target)} did not send an MP4 file: it starts with "<!DOCTYPE html><"; not kept`,
      },
    ])
    // Not retried: the server sent what it meant to send.
    expect(requestsTo(mp4(target))).toHaveLength(1)
    expectAllBut(out, [target])
  })

  test('downloads on a rerun the videos that failed, and only those', async () => {
    const { out } = await runWith({ [mp4(target)]: ['404'], [png(ids[4] ?? '')]: ['wrong-magic'] })
    expectAllBut(out, [target, ids[4] ?? ''])
    server.log.length = 0
    const report = await downloadFixed({ catalogue, out, limit: LIMIT })
    expect(report).toMatchObject({ downloaded: 2, skipped: LIMIT - 2, failed: [] })
    expect(server.log.map((record) => record.path).sort()).toEqual(
      [mp4(target), png(target), mp4(ids[4] ?? ''), png(ids[4] ?? '')].sort(),
    )
    expectAllBut(out, [])
  })
})

describe('the naive downloader, when the server fails', () => {
  test('stops the whole job at the first 500', async () => {
    server.faults.add(mp4(target), ['500'])
    const out = join(folder, 'naive-500')
    await expect(downloadNaive({ catalogue, out, limit: LIMIT })).rejects.toThrow('answered 500')
    expect(existsSync(join(out, `${ids[LIMIT - 1]}.mp4`))).toBe(false)
  })

  test('keeps a web page under a .mp4 name', async () => {
    server.faults.add(mp4(target), ['wrong-magic'])
    const out = join(folder, 'naive-magic')
    await downloadNaive({ catalogue, out, limit: LIMIT })
    expect(fileDigest(join(out, `${target}.mp4`))).not.toBe(expectedDigest('mp4', target, sizes))
  })
})
