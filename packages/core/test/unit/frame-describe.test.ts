import { join, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { describeFrame, frameFile } from '../../src/internal.js'

const frame = (url: string) => ({ functionName: 'openSession', url, line: 14, column: 3 })

describe('frameFile', () => {
  test('turns a file: URL into a path, and leaves other URLs as they are', () => {
    const path = join(process.cwd(), 'src', 'orders with space.ts')
    expect(frameFile(pathToFileURL(path).href)).toBe(path)
    expect(frameFile('node:internal/streams/readable')).toBe('node:internal/streams/readable')
    expect(frameFile('evalmachine.<anonymous>')).toBe('evalmachine.<anonymous>')
    expect(frameFile('')).toBe('')
  })
})

describe('describeFrame', () => {
  test('names the function and its line, the file relative to the working directory inside it', () => {
    const url = pathToFileURL(join(process.cwd(), 'src', 'orders.ts')).href
    expect(describeFrame(frame(url))).toBe(`openSession (src${sep}orders.ts:14)`)
  })

  test('keeps a file outside the working directory absolute', () => {
    const outside = join(process.cwd(), '..', 'elsewhere-memgate', 'lib.js')
    expect(describeFrame(frame(pathToFileURL(outside).href))).toBe(`openSession (${outside}:14)`)
  })

  test("shows a package's file outside it from node_modules on, wherever the store is", () => {
    const store = join(process.cwd(), '..', 'node_modules', '.pnpm', 'fastify@5.12.8', 'node_modules')
    const url = pathToFileURL(join(store, 'fastify', 'lib', 'reply.js')).href
    expect(describeFrame(frame(url))).toBe('openSession (node_modules/fastify/lib/reply.js:14)')
  })

  test("shows Node's and other non-file URLs as they are", () => {
    expect(describeFrame(frame('node:internal/streams/readable'))).toBe(
      'openSession (node:internal/streams/readable:14)',
    )
  })
})
