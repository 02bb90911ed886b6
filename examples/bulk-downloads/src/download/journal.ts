import { createReadStream } from 'node:fs'
import { type FileHandle, open, stat, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/** One line of the journal: a video whose two files were complete on disk when it was written. */
export interface JournalEntry {
  id: string
  mp4: number
  png: number
}

export const JOURNAL_NAME = '.bulk-downloads.journal'

/**
 * The job's progress, one JSON line per completed video, appended and flushed to disk after both files of
 * the video were renamed into place. A rerun reads it to skip what is done. A line cut short by a crash is
 * dropped (its video is downloaded again).
 */
export class Journal {
  readonly #done: Map<string, JournalEntry>
  readonly #file: FileHandle
  readonly #out: string
  #writing: Promise<void> = Promise.resolve()

  private constructor(out: string, done: Map<string, JournalEntry>, file: FileHandle) {
    this.#out = out
    this.#done = done
    this.#file = file
  }

  static async open(out: string): Promise<Journal> {
    const path = join(out, JOURNAL_NAME)
    const done = new Map<string, JournalEntry>()
    try {
      const { size } = await stat(path)
      const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY })
      let offset = 0
      let complete = 0
      let torn = false
      for await (const line of lines) {
        offset += Buffer.byteLength(line) + 1
        const entry = torn ? undefined : parseLine(line)
        // A line is whole when it parses and its newline made it to disk.
        if (!entry || offset > size) torn = true
        else {
          done.set(entry.id, entry)
          complete = offset
        }
      }
      // Whatever follows the last whole line (a torn write) is cut off, so new lines start clean.
      if (size > complete) await truncate(path, complete)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    return new Journal(out, done, await open(path, 'a'))
  }

  /** Journaled videos, at the time the journal was opened. */
  get size(): number {
    return this.#done.size
  }

  /** Whether the video was completed by an earlier run and both its files are still there, whole. */
  async isDone(id: string): Promise<boolean> {
    const entry = this.#done.get(id)
    if (!entry) return false
    const sizes = await Promise.all(
      (['mp4', 'png'] as const).map((kind) =>
        stat(join(this.#out, `${id}.${kind}`)).then(
          (file) => file.size,
          () => -1,
        ),
      ),
    )
    return sizes[0] === entry.mp4 && sizes[1] === entry.png
  }

  /** Appends a completed video and flushes it to disk; lines are written one at a time. */
  record(entry: JournalEntry): Promise<void> {
    const line = `${JSON.stringify({ id: entry.id, mp4: entry.mp4, png: entry.png })}\n`
    this.#writing = this.#writing.then(async () => {
      await this.#file.appendFile(line)
      await this.#file.datasync()
    })
    return this.#writing
  }

  async close(): Promise<void> {
    await this.#writing.catch(() => {})
    await this.#file.close()
  }
}

function parseLine(line: string): JournalEntry | undefined {
  try {
    const entry = JSON.parse(line) as Partial<JournalEntry>
    if (typeof entry.id === 'string' && typeof entry.mp4 === 'number' && typeof entry.png === 'number') {
      return { id: entry.id, mp4: entry.mp4, png: entry.png }
    }
  } catch {}
  return undefined
}
