import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { pipeline } from 'node:stream'
import { JSONParser } from '@streamparser/json-node'
import { CatalogueFormatError, CatalogueNotFoundError, DownloadError } from '../download/errors.js'
import { toVideo, type Video } from './video.js'

/**
 * The catalogue's videos, one at a time, parsed as the file is read: only the entry being parsed and the
 * reader's 64 kB buffer are held, whatever the size of the file. Stopping early (a `break`) closes the file.
 */
export async function* streamVideos(path: string): AsyncGenerator<Video, void, undefined> {
  await checkStart(path)
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false })
  const parsed = pipeline(createReadStream(path), parser, () => {})
  try {
    for await (const { key, value } of parsed as AsyncIterable<{ key?: string | number; value: unknown }>) {
      const video = toVideo(path, key, value)
      if (video) yield video
    }
  } catch (error) {
    // Ours, or the file system's (a folder given as the catalogue, a read error): as they are.
    if (error instanceof DownloadError || (error as NodeJS.ErrnoException).syscall) throw error
    throw new CatalogueFormatError(path, `it is not valid JSON (${(error as Error).message})`)
  }
}

/** Fails early, before any download, on a missing or empty file, or one that does not start with `{`. */
async function checkStart(path: string): Promise<void> {
  let file: Awaited<ReturnType<typeof open>>
  try {
    file = await open(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CatalogueNotFoundError(path)
    throw error
  }
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(256), 0, 256, 0)
    const start = buffer.toString('utf8', 0, bytesRead).trimStart()
    if (bytesRead === 0) throw new CatalogueFormatError(path, 'the file is empty')
    if (start.length > 0 && !start.startsWith('{')) {
      throw new CatalogueFormatError(
        path,
        `it starts with ${JSON.stringify(start.slice(0, 20))}, not an object`,
      )
    }
  } finally {
    await file.close()
  }
}
