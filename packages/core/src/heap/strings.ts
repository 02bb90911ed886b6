import { HeapSnapshotFormatError } from '../errors.js'

const QUOTE = 34
const BACKSLASH = 92
const CLOSE = 93
/** A string V8 writes as it is (printable ASCII, no quote or backslash): its bytes can be searched for. */
const PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/

/**
 * A snapshot's string table, kept as the bytes V8 wrote and decoded one string at a time on first use: a
 * diagnosis reads a few thousand strings of a table of hundreds of thousands, and each string made while V8
 * tracks allocations costs it a stack trace (making them all was most of the parse with sites on).
 */
export class SnapshotStrings {
  private readonly decoded: (string | undefined)[]

  constructor(
    private readonly bytes: Buffer,
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    /** 1 for a string with a backslash escape in it (decoded as JSON). */
    private readonly escapes: Uint8Array,
  ) {
    // Filled, so that its elements stay fast: an array made with a length over ~100,000 is a hash table.
    this.decoded = new Array<string | undefined>(starts.length).fill(undefined)
  }

  /** The number of strings. */
  get length(): number {
    return this.starts.length
  }

  /** The string at `index`, or undefined out of the table. */
  get(index: number): string | undefined {
    if (!(index >= 0 && index < this.starts.length)) return undefined
    const known = this.decoded[index]
    if (known !== undefined) return known
    const text = this.bytes.toString('utf8', this.starts[index], this.ends[index])
    const string = this.escapes[index] ? (JSON.parse(`"${text}"`) as string) : text
    this.decoded[index] = string
    return string
  }

  /** The index of `text` in the table (V8 writes each string once), or -1. */
  indexOf(text: string): number {
    if (!PLAIN.test(text)) {
      for (let index = 0; index < this.starts.length; index++) if (this.get(index) === text) return index
      return -1
    }
    const needle = Buffer.from(text, 'latin1')
    for (let at = this.bytes.indexOf(needle); at >= 0; at = this.bytes.indexOf(needle, at + 1)) {
      const index = this.startingAt(at)
      if (index >= 0 && this.ends[index] === at + needle.length && !this.escapes[index]) return index
    }
    return -1
  }

  /** Every string, decoded (for tests). */
  toArray(): string[] {
    return Array.from({ length: this.starts.length }, (_, index) => this.get(index) as string)
  }

  /** The string that starts at byte `at`, or -1. */
  private startingAt(at: number): number {
    let low = 0
    let high = this.starts.length - 1
    while (low <= high) {
      const middle = (low + high) >>> 1
      const start = this.starts[middle] as number
      if (start < at) low = middle + 1
      else if (start > at) high = middle - 1
      else return middle
    }
    return -1
  }
}

/**
 * Collects the bytes of a snapshot's `strings` section, chunk by chunk (copied: the caller reuses a chunk's
 * memory), and finds where each string is once all are there: one pass of native searches for quotes and
 * backslashes, no string made.
 */
export class StringTableReader {
  private readonly chunks: Buffer[] = []

  /** The bytes from `at` on, after `"strings":[`. */
  push(bytes: Buffer, at: number): void {
    if (at < bytes.length) this.chunks.push(Buffer.from(bytes.subarray(at)))
  }

  /** The table, or undefined if its closing bracket never came. */
  end(): SnapshotStrings | undefined {
    const bytes = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks)
    this.chunks.length = 0
    let starts = new Uint32Array(1024)
    let ends = new Uint32Array(1024)
    let escapes = new Uint8Array(1024)
    let count = 0
    // The next backslash at or after where it was last looked for (`length`: none left).
    let backslash = -1
    for (let i = 0; i < bytes.length; ) {
      const code = bytes[i++] as number
      if (code === CLOSE)
        return new SnapshotStrings(
          bytes,
          starts.subarray(0, count),
          ends.subarray(0, count),
          escapes.subarray(0, count),
        )
      // Separators between strings.
      if (code !== QUOTE) continue
      let escaped = 0
      let j = i
      let end = -1
      while (j < bytes.length) {
        const quote = bytes.indexOf(QUOTE, j)
        if (backslash < j) {
          backslash = bytes.indexOf(BACKSLASH, j)
          if (backslash < 0) backslash = bytes.length
        }
        if (backslash < bytes.length && (quote < 0 || backslash < quote)) {
          escaped = 1
          j = backslash + 2
          continue
        }
        end = quote
        break
      }
      if (end < 0) throw new HeapSnapshotFormatError('the heap snapshot ended early')
      if (count === starts.length) {
        starts = grown(starts)
        ends = grown(ends)
        escapes = grown(escapes)
      }
      starts[count] = i
      ends[count] = end
      escapes[count] = escaped
      count++
      i = end + 1
    }
    return undefined
  }
}

function grown<T extends Uint32Array | Uint8Array>(array: T): T {
  const larger = new (array.constructor as new (length: number) => T)(array.length * 2)
  larger.set(array)
  return larger
}
