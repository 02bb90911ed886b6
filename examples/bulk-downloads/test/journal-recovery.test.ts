import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { JOURNAL_NAME, Journal } from '../src/download/journal.js'
import { removeFolder, temporaryFolder } from './helpers.js'

const folder = temporaryFolder('journal')
afterAll(() => removeFolder(folder))

function files(out: string, id: string, mp4: number, png: number) {
  writeFileSync(join(out, `${id}.mp4`), Buffer.alloc(mp4))
  writeFileSync(join(out, `${id}.png`), Buffer.alloc(png))
}

test('a line cut short by a crash is dropped and cut off, and the next line starts clean', async () => {
  const out = folder
  files(out, 'a', 10, 1)
  files(out, 'b', 20, 2)
  writeFileSync(join(out, JOURNAL_NAME), '{"id":"a","mp4":10,"png":1}\n{"id":"b","mp4":20,"pn')
  const journal = await Journal.open(out)
  expect(journal.size).toBe(1)
  expect(await journal.isDone('a')).toBe(true)
  expect(await journal.isDone('b')).toBe(false)
  await journal.record({ id: 'b', mp4: 20, png: 2 })
  await journal.close()
  expect(readFileSync(join(out, JOURNAL_NAME), 'utf8')).toBe(
    '{"id":"a","mp4":10,"png":1}\n{"id":"b","mp4":20,"png":2}\n',
  )
  expect(await (await Journal.open(out)).isDone('b')).toBe(true)
})

test('a last line whose newline never reached the disk counts as cut short', async () => {
  const out = join(folder, 'no-newline')
  mkdirSync(out)
  files(out, 'a', 10, 1)
  writeFileSync(join(out, JOURNAL_NAME), '{"id":"a","mp4":10,"png":1}')
  const journal = await Journal.open(out)
  expect(journal.size).toBe(0)
  await journal.close()
  expect(readFileSync(join(out, JOURNAL_NAME), 'utf8')).toBe('')
})

test('a journaled video whose file is gone or has another size is not done', async () => {
  const out = join(folder, 'changed')
  mkdirSync(out)
  files(out, 'a', 10, 1)
  writeFileSync(join(out, JOURNAL_NAME), '{"id":"a","mp4":11,"png":1}\n{"id":"b","mp4":1,"png":1}\n')
  const journal = await Journal.open(out)
  expect(journal.size).toBe(2)
  expect(await journal.isDone('a')).toBe(false)
  expect(await journal.isDone('b')).toBe(false)
  await journal.close()
})
