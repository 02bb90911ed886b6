import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { writeCatalogue } from '../src/catalogue/generate.js'
import { downloadFixed } from '../src/download/fixed.js'
import { JOURNAL_NAME } from '../src/download/journal.js'
import { downloadNaive } from '../src/download/naive.js'
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

const sizes = { mp4: 200_000, png: 20_000 }
const folder = temporaryFolder('fixed')
const catalogue = join(folder, 'contents.json')
let server: MediaServer
let ids: string[]

beforeAll(async () => {
  server = await startMediaServer({ sizes, trickle: { bytes: 50_000, delayMs: 5 } })
  await writeCatalogue(catalogue, { baseUrl: server.url, videos: 40, others: 30 })
  ids = videoIds(catalogue)
})
afterAll(async () => {
  await server.close()
  removeFolder(folder)
})

/** Fails unless `out` holds exactly the files of `expected` (and the journal), each byte for byte right. */
function expectExactly(out: string, expected: string[], journal = true): void {
  expect(listFolder(out)).toEqual([...expectedNames(expected), ...(journal ? [JOURNAL_NAME] : [])].sort())
  for (const id of expected) {
    expect(fileDigest(join(out, `${id}.mp4`))).toBe(expectedDigest('mp4', id, sizes))
    expect(fileDigest(join(out, `${id}.png`))).toBe(expectedDigest('png', id, sizes))
  }
}

describe('the fixed downloader', () => {
  test('downloads the MP4 and PNG of the first --limit videos, byte for byte, and journals each', async () => {
    const out = join(folder, 'limit')
    const report = await downloadFixed({ catalogue, out, limit: 12 })
    expect(report).toMatchObject({ downloaded: 12, skipped: 0, failed: [], retries: 0 })
    expectExactly(out, ids.slice(0, 12))
    const journal = readFileSync(join(out, JOURNAL_NAME), 'utf8').trim().split('\n')
    expect(journal.map((line) => (JSON.parse(line) as { id: string }).id).sort()).toEqual(
      ids.slice(0, 12).sort(),
    )
    expect(report.bytes).toBe(ids.slice(0, 12).reduce((sum, id) => sum + fileBytes(out, id), 0))
  })

  test('keeps at most --concurrency downloads open at once', async () => {
    let open = 0
    let most = 0
    const track = (_request: unknown, response: NodeJS.EventEmitter) => {
      most = Math.max(most, ++open)
      response.on('close', () => open--)
    }
    // Slow bodies, so that downloads overlap.
    for (const id of ids.slice(0, 20)) server.faults.add(`/videos/${id}.mp4`, ['trickle'])
    server.server.on('request', track)
    try {
      await downloadFixed({ catalogue, out: join(folder, 'concurrency'), limit: 20, concurrency: 3 })
    } finally {
      server.server.off('request', track)
    }
    expect(most).toBe(3)
  })

  test('downloads every video of the catalogue without --limit, and a rerun downloads nothing', async () => {
    const out = join(folder, 'all')
    expect(await downloadFixed({ catalogue, out })).toMatchObject({ downloaded: 40, failed: [] })
    expectExactly(out, ids)
    const requests = server.log.length
    expect(await downloadFixed({ catalogue, out })).toMatchObject({ downloaded: 0, skipped: 40, bytes: 0 })
    expect(server.log.length).toBe(requests)
    expectExactly(out, ids)
  })

  test('downloads again a journaled video whose file was deleted since', async () => {
    const out = join(folder, 'deleted')
    await downloadFixed({ catalogue, out, limit: 5 })
    const [gone = ''] = ids
    removeFolder(join(out, `${gone}.png`))
    const report = await downloadFixed({ catalogue, out, limit: 5 })
    expect(report).toMatchObject({ downloaded: 1, skipped: 4 })
    expectExactly(out, ids.slice(0, 5))
  })
})

describe('the naive downloader', () => {
  test('writes the same files as the fixed one (and no journal)', async () => {
    const out = join(folder, 'naive')
    expect(await downloadNaive({ catalogue, out, limit: 12 })).toMatchObject({ downloaded: 12 })
    expectExactly(out, ids.slice(0, 12), false)
  })
})

function fileBytes(out: string, id: string): number {
  return readFileSync(join(out, `${id}.mp4`)).length + readFileSync(join(out, `${id}.png`)).length
}
