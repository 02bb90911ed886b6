import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { streamVideos } from '../src/catalogue/stream.js'
import { CatalogueFormatError, CatalogueNotFoundError } from '../src/download/errors.js'
import { downloadFixed } from '../src/download/fixed.js'
import { removeFolder, temporaryFolder } from './helpers.js'

const folder = temporaryFolder('catalogue-errors')
afterAll(() => removeFolder(folder))

function catalogue(name: string, text: string): string {
  const path = join(folder, name)
  writeFileSync(path, text)
  return path
}

async function readAll(path: string): Promise<number> {
  let count = 0
  for await (const _ of streamVideos(path)) count++
  return count
}

const video = (id: string, urls: Record<string, unknown>) =>
  JSON.stringify({ [id]: { kind: 'Video', download_urls: urls } })
const urls = { mp4: 'http://127.0.0.1:9/videos/a.mp4', png: 'http://127.0.0.1:9/thumbnails/a.png' }

describe('a bad catalogue', () => {
  test('that does not exist fails before anything is written, naming the path and the fix', async () => {
    const missing = join(folder, 'nowhere.json')
    const out = join(folder, 'out-missing')
    const failure = downloadFixed({ catalogue: missing, out })
    await expect(failure).rejects.toThrow(CatalogueNotFoundError)
    await expect(failure).rejects.toThrow(`No catalogue at ${missing}. Give the path of a contents.json`)
    expect(existsSync(out)).toBe(false)
  })

  test.each([
    ['empty', '', 'the file is empty'],
    ['an array', '[{"kind":"Video"}]', 'it starts with "[{\\"kind\\":\\"Video\\"}]", not an object'],
    ['a number', '  42', 'it starts with "42", not an object'],
    ['cut short', '{"a": {"kind": "Video", "download_urls": {"mp4": "http', 'it is not valid JSON'],
    ['not JSON', '{"a": {kind: "Video"}}', 'it is not valid JSON'],
    ['an entry that is not an object', '{"a": 3}', 'entry "a" is not an object'],
    [
      'a video without its PNG',
      video('a', { mp4: urls.mp4 }),
      'the video "a" has no http(s) URL in download_urls.png',
    ],
    [
      'a video with a path for an id',
      video('../../etc/x', urls),
      'the video id "../../etc/x" is not usable as a file name',
    ],
  ])('that is %s fails with a message that says what is wrong', async (name, text, problem) => {
    const path = catalogue(`${name}.json`, text)
    const failure = readAll(path)
    await expect(failure).rejects.toThrow(CatalogueFormatError)
    await expect(failure).rejects.toThrow(`The catalogue ${path} is malformed: ${problem}`)
  })

  test('that is malformed at its start fails before the output folder is made', async () => {
    const out = join(folder, 'out-malformed')
    await expect(downloadFixed({ catalogue: catalogue('list.json', '[]'), out })).rejects.toThrow(
      CatalogueFormatError,
    )
    expect(existsSync(out)).toBe(false)
  })

  test('an empty object is a catalogue without videos', async () => {
    expect(await readAll(catalogue('none.json', ' {}\n'))).toBe(0)
  })
})
