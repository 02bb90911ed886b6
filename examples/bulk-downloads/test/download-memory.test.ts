// The job's memory test, run against the fixed downloader; `DOWNLOADER=naive` runs it against the naive one,
// which must fail it (test/naive-fails.test.ts checks that it does, with memgate's message). The media
// server runs in its own process, so the peak is the downloader's alone: JS heap plus Buffers.
import { join } from 'node:path'
import { limitMemory } from '@memgate/vitest'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { writeCatalogue } from '../src/catalogue/generate.js'
import { downloadFixed } from '../src/download/fixed.js'
import { downloadNaive } from '../src/download/naive.js'
import { removeFolder, type ServerProcess, startServerProcess, temporaryFolder } from './helpers.js'

const naive = process.env.DOWNLOADER === 'naive'
const sizes = { mp4: 1_000_000, png: 100_000 }
const folder = temporaryFolder('memory')
const catalogue = join(folder, 'contents.json')
let server: ServerProcess

beforeAll(async () => {
  server = await startServerProcess(sizes)
  // The full 8 MB catalogue of 4,000 entries.
  await writeCatalogue(catalogue, { baseUrl: server.url })
})
afterAll(async () => {
  await server.stop()
  removeFolder(folder)
})

test(
  'downloading 20 videos from the 8 MB catalogue holds at most 10 MB at once',
  limitMemory('10 MB'),
  async () => {
    const options = { catalogue, out: join(folder, 'out'), limit: 20 }
    const report = naive ? await downloadNaive(options) : await downloadFixed(options)
    expect(report).toMatchObject({ downloaded: 20, failed: [] })
  },
)
