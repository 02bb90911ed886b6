import { once } from 'node:events'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { writeCatalogue } from '../src/catalogue/generate.js'
import { JOURNAL_NAME } from '../src/download/journal.js'
import { type MediaServer, startMediaServer } from '../src/server/media-server.js'
import {
  expectedDigest,
  expectedNames,
  fileDigest,
  listFolder,
  removeFolder,
  runCli,
  spawnCli,
  temporaryFolder,
  videoIds,
} from './helpers.js'

const sizes = { mp4: 300_000, png: 30_000 }
const LIMIT = 16
const folder = temporaryFolder('resume')
const catalogue = join(folder, 'contents.json')
const out = join(folder, 'out')
let server: MediaServer
let ids: string[]

beforeAll(async () => {
  server = await startMediaServer({ sizes })
  await writeCatalogue(catalogue, { baseUrl: server.url, videos: 30, others: 10 })
  ids = videoIds(catalogue).slice(0, LIMIT)
})
afterAll(async () => {
  await server.close()
  removeFolder(folder)
})

const journaled = () =>
  existsSync(join(out, JOURNAL_NAME))
    ? readFileSync(join(out, JOURNAL_NAME), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { id: string }).id)
    : []

test('a run killed mid-download, then run again, leaves exactly the full valid set, none downloaded twice', async () => {
  // The 8th video's MP4 stops half-way, so the process is surely killed in the middle of a body.
  const stalled = ids[7] ?? ''
  server.faults.add(`/videos/${stalled}.mp4`, ['stall'])
  const args = ['--catalogue', catalogue, '--out', out, '--concurrency', '2', '--limit', String(LIMIT)]
  const first = spawnCli(args)
  const partial = join(out, `${stalled}.mp4.part`)
  for (
    let waited = 0;
    !(journaled().length >= 5 && existsSync(partial) && statSync(partial).size > 0);
    waited += 20
  ) {
    if (waited > 30_000) throw new Error('the first run never reached the stalled video')
    await sleep(20)
  }
  first.kill('SIGKILL')
  await once(first, 'exit')
  // After the crash: the half-written file is only ever a temporary one, every final file is whole.
  const before = journaled()
  expect(before.length).toBeGreaterThanOrEqual(5)
  expect(before).not.toContain(stalled)
  expect(existsSync(join(out, `${stalled}.mp4`))).toBe(false)
  for (const name of readdirSync(out).filter((name) => /\.(mp4|png)$/.test(name))) {
    const [id = '', kind] = name.split('.') as [string, 'mp4' | 'png']
    expect(fileDigest(join(out, name))).toBe(expectedDigest(kind, id, sizes))
  }

  // The server logs a request when it ends, so a request of the killed run can still be logged during the
  // rerun: the runs' requests are told apart by when they arrived.
  const rerunFrom = server.received
  const second = await runCli(args)
  expect(second.stderr).toBe('')
  expect(second.code).toBe(0)
  expect(second.stdout).toContain(`skipped ${before.length}, failed 0`)

  // Exactly the full set, each file byte for byte, no temporary file left, every video journaled once.
  expect(listFolder(out)).toEqual([...expectedNames(ids), JOURNAL_NAME].sort())
  for (const id of ids) {
    expect(fileDigest(join(out, `${id}.mp4`))).toBe(expectedDigest('mp4', id, sizes))
    expect(fileDigest(join(out, `${id}.png`))).toBe(expectedDigest('png', id, sizes))
  }
  expect(journaled().sort()).toEqual([...ids].sort())
  // None downloaded twice: nothing completed before the crash was asked for again, and the rerun fetched
  // each of the other files once.
  const paths = (id: string) => [`/videos/${id}.mp4`, `/thumbnails/${id}.png`]
  const firstLog = server.log.filter((record) => record.order < rerunFrom)
  const rerun = server.log.filter((record) => record.order >= rerunFrom).map((record) => record.path)
  for (const id of before) for (const path of paths(id)) expect(rerun).not.toContain(path)
  expect(rerun.sort()).toEqual(
    ids
      .filter((id) => !before.includes(id))
      .flatMap(paths)
      .sort(),
  )
  for (const id of before) {
    for (const path of paths(id)) {
      expect(firstLog.filter((record) => record.path === path && record.complete)).toHaveLength(1)
    }
  }
})
