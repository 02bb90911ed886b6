import { crc32 } from 'node:zlib'
import { hashString, seededRandom } from '../random.js'

export type MediaKind = 'mp4' | 'png'

export interface MediaSizes {
  /** Average size of a video file in bytes; each file is within ±25% of it. */
  mp4: number
  /** Average size of a thumbnail in bytes; each file is within ±25% of it. */
  png: number
}

/** A few MB per video, as in the seed's catalogue, and a thumbnail of a tenth of that. */
export const DEFAULT_SIZES: MediaSizes = { mp4: 3_000_000, png: 300_000 }

const NOISE_BYTES = 64 * 1024
const CHUNK_BYTES = 64 * 1024
let noise: Buffer | undefined

/** 64 KiB of seeded noise that every file's payload is cut from, at an offset of its own. */
function noiseBlock(): Buffer {
  if (!noise) {
    const random = seededRandom(20170318)
    noise = Buffer.alloc(NOISE_BYTES)
    for (let i = 0; i < NOISE_BYTES; i += 4) noise.writeUInt32LE(Math.floor(random() * 2 ** 32), i)
  }
  return noise
}

/** The exact size of the file of this kind for this video: deterministic, within ±25% of the average. */
export function mediaSize(kind: MediaKind, id: string, sizes: MediaSizes): number {
  const spread = (hashString(`${kind}:${id}`) % 1001) / 1000 // 0 … 1
  return Math.max(minimumSize(kind), Math.round(sizes[kind] * (0.75 + 0.5 * spread)))
}

function minimumSize(kind: MediaKind): number {
  return kind === 'mp4' ? 40 : 57
}

/**
 * The bytes of one media file, in chunks of up to 64 KiB, made as they are asked for (nothing is kept):
 * an MP4 is an `ftyp` box and an `mdat` box filling the rest; a PNG is the signature, an `IHDR` chunk, one
 * `IDAT` chunk filling the rest and `IEND`, every chunk with its CRC.
 */
export function* mediaChunks(kind: MediaKind, id: string, size: number): Generator<Buffer> {
  if (size < minimumSize(kind))
    throw new RangeError(`A ${kind} file needs at least ${minimumSize(kind)} bytes`)
  const offset = hashString(id) % NOISE_BYTES
  if (kind === 'mp4') {
    yield mp4Header(size)
    yield* payload(size - 40, offset)
    return
  }
  const dataBytes = size - 57
  yield pngHeader(id, dataBytes)
  let crc = crc32('IDAT')
  for (const chunk of payload(dataBytes, offset)) {
    crc = crc32(chunk, crc)
    yield chunk
  }
  const tail = Buffer.alloc(16)
  tail.writeUInt32BE(crc, 0)
  tail.writeUInt32BE(0, 4)
  tail.write('IEND', 8, 'latin1')
  tail.writeUInt32BE(crc32('IEND'), 12)
  yield tail
}

function* payload(bytes: number, offset: number): Generator<Buffer> {
  const block = noiseBlock()
  let at = offset
  for (let left = bytes; left > 0; ) {
    const take = Math.min(left, CHUNK_BYTES, NOISE_BYTES - at)
    // A copy: the consumer may hold the chunk (the naive downloader does), the block must stay intact.
    yield Buffer.from(block.subarray(at, at + take))
    left -= take
    at = (at + take) % NOISE_BYTES
  }
}

/** `ftyp` (32 bytes) then the 8-byte header of an `mdat` box that holds the rest of the file. */
function mp4Header(size: number): Buffer {
  const header = Buffer.alloc(40)
  header.writeUInt32BE(32, 0)
  header.write('ftypisom', 4, 'latin1')
  header.writeUInt32BE(0x200, 12)
  header.write('isomiso2avc1mp41', 16, 'latin1')
  header.writeUInt32BE(size - 32, 32)
  header.write('mdat', 36, 'latin1')
  return header
}

/** Signature, `IHDR` (a 16:9 thumbnail, 8-bit RGB) and the start of the `IDAT` chunk. */
function pngHeader(id: string, dataBytes: number): Buffer {
  const header = Buffer.alloc(41)
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0)
  header.writeUInt32BE(13, 8)
  header.write('IHDR', 12, 'latin1')
  const width = 320 + (hashString(id) % 4) * 160
  header.writeUInt32BE(width, 16)
  header.writeUInt32BE(Math.round((width * 9) / 16), 20)
  header.writeUInt8(8, 24) // bit depth
  header.writeUInt8(2, 25) // colour type: RGB
  header.writeUInt32BE(crc32(header.subarray(12, 29)), 29)
  header.writeUInt32BE(dataBytes, 33)
  header.write('IDAT', 37, 'latin1')
  return header
}
