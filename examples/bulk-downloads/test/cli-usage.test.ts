import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readArgs } from '../src/args.js'
import { writeCatalogue } from '../src/catalogue/generate.js'
import { UsageError } from '../src/download/errors.js'
import { type MediaServer, startMediaServer } from '../src/server/media-server.js'
import { expectedNames, listFolder, removeFolder, runCli, temporaryFolder, videoIds } from './helpers.js'

const folder = temporaryFolder('cli')
const catalogue = join(folder, 'contents.json')
let server: MediaServer
let ids: string[]

beforeAll(async () => {
  server = await startMediaServer({ sizes: { mp4: 100_000, png: 10_000 } })
  await writeCatalogue(catalogue, { baseUrl: server.url, videos: 8, others: 4 })
  ids = videoIds(catalogue)
})
afterAll(async () => {
  await server.close()
  removeFolder(folder)
})

describe('the command line', () => {
  test('is read into job options', () => {
    expect(readArgs(['--catalogue', 'c.json', '--out', 'o', '--concurrency', '8', '--limit', '50'])).toEqual({
      catalogue: 'c.json',
      out: 'o',
      concurrency: 8,
      limit: 50,
      naive: false,
    })
  })

  test.each([
    [['--out', 'o'], '--catalogue is required.'],
    [['--catalogue', 'c.json'], '--out is required.'],
    [
      ['--catalogue', 'c.json', '--out', 'o', '--concurrency', '0'],
      '--concurrency must be a whole number of 1 or more, got "0".',
    ],
    [
      ['--catalogue', 'c.json', '--out', 'o', '--limit', '2.5'],
      '--limit must be a whole number of 1 or more, got "2.5".',
    ],
    [['--catalogue', 'c.json', '--out', 'o', '--speed', '9'], "Unknown option '--speed'"],
  ])('rejects %j with a message naming the argument', (args, message) => {
    expect(() => readArgs(args)).toThrow(UsageError)
    expect(() => readArgs(args)).toThrow(message)
  })

  // Each run starts a Node process: run them side by side.
  test.concurrent('downloads, printing one plain line per video when its output is not a terminal', async () => {
    const out = join(folder, 'out')
    const run = await runCli(['--catalogue', catalogue, '--out', out, '--limit', '5', '--concurrency', '2'])
    expect(run.code).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines[0]).toBe('starting: 5 videos')
    const done = lines.filter((line) => line.startsWith('done '))
    for (const line of done) expect(line).toMatch(/^done [\w-]+ \(\d+(\.\d)? kB\)$/)
    expect(done.map((line) => line.split(' ')[1]).sort()).toEqual(ids.slice(0, 5).sort())
    expect(lines.at(-1)).toMatch(
      /^downloaded 5 videos \([\d.]+ kB\), skipped 0, failed 0, retried 0 times, in [\d.]+ s$/,
    )
    expect(listFolder(out)).toEqual([...expectedNames(ids.slice(0, 5)), '.bulk-downloads.journal'].sort())
  })

  test.concurrent('exits with 1 and names the videos that failed', async () => {
    // The 7th video: the run beside this one stops at the 5th.
    server.faults.add(`/videos/${ids[6]}.mp4`, ['404'])
    const run = await runCli(['--catalogue', catalogue, '--out', join(folder, 'failing'), '--limit', '7'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(`failed ${ids[6]}: GET ${server.url}/videos/${ids[6]}.mp4 answered 404\n`)
  })

  test.concurrent('exits with 2 and a clear message for a missing catalogue', async () => {
    const missing = join(folder, 'missing.json')
    const run = await runCli(['--catalogue', missing, '--out', join(folder, 'x')])
    expect(run).toMatchObject({ code: 2, stdout: '' })
    expect(run.stderr).toBe(
      `bulk-download: No catalogue at ${missing}. Give the path of a contents.json with --catalogue ` +
        '(make one with `pnpm catalogue --out contents.json`).\n',
    )
  })

  test.concurrent('exits with 2 and a clear message for a malformed catalogue', async () => {
    const broken = join(folder, 'broken.json')
    writeFileSync(broken, '{"a": {"kind": "Video", "download_urls": ')
    const run = await runCli(['--catalogue', broken, '--out', join(folder, 'y')])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(
      new RegExp(`^bulk-download: The catalogue ${broken} is malformed: it is not valid JSON`),
    )
  })

  test.concurrent('exits with 2 and the usage for a bad argument', async () => {
    const run = await runCli(['--catalogue', catalogue])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('bulk-download: --out is required.\n\nUsage: bulk-download --catalogue')
  })
})
