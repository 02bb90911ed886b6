import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { writeCatalogue } from '../src/catalogue/generate.js'
import { streamVideos } from '../src/catalogue/stream.js'
import { fileDigest, removeFolder, temporaryFolder, videoIds } from './helpers.js'

const folder = temporaryFolder('catalogue')
const catalogue = join(folder, 'contents.json')
afterAll(() => removeFolder(folder))

describe('the catalogue generator', () => {
  beforeAll(() => writeCatalogue(catalogue, { baseUrl: 'http://127.0.0.1:9' }))

  test('writes about 8 MB of JSON: 4,000 entries, 2,500 of them videos with an MP4 and a PNG', () => {
    const bytes = statSync(catalogue).size
    expect(bytes).toBeGreaterThan(7_500_000)
    expect(bytes).toBeLessThan(8_500_000)
    const contents = JSON.parse(readFileSync(catalogue, 'utf8')) as Record<string, Record<string, unknown>>
    const entries = Object.entries(contents)
    expect(entries).toHaveLength(4000)
    const videos = entries.filter(([, entry]) => entry.kind === 'Video')
    expect(videos).toHaveLength(2500)
    for (const [id, entry] of videos) {
      expect(entry.id).toBe(id)
      expect(entry.download_urls).toMatchObject({
        mp4: `http://127.0.0.1:9/videos/${id}.mp4`,
        png: `http://127.0.0.1:9/thumbnails/${id}.png`,
      })
    }
    expect(new Set(entries.map(([, entry]) => entry.kind))).toEqual(new Set(['Video', 'Exercise', 'Topic']))
  })

  test('writes the same bytes for the same options, other bytes for another seed', async () => {
    const again = join(folder, 'again.json')
    const other = join(folder, 'other.json')
    await writeCatalogue(again, { baseUrl: 'http://127.0.0.1:9' })
    await writeCatalogue(other, { baseUrl: 'http://127.0.0.1:9', seed: 2 })
    expect(fileDigest(again)).toBe(fileDigest(catalogue))
    expect(fileDigest(other)).not.toBe(fileDigest(catalogue))
  })

  test('is read by the streaming reader as the same videos, in the same order, as JSON.parse sees them', async () => {
    const streamed: string[] = []
    for await (const video of streamVideos(catalogue)) {
      expect(video.mp4).toBe(`http://127.0.0.1:9/videos/${video.id}.mp4`)
      streamed.push(video.id)
    }
    expect(streamed).toEqual(videoIds(catalogue))
  })
})
