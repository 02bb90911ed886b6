import type { MediaKind } from './generate.js'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** How many leading bytes {@link checkMagic} needs. */
export const MAGIC_BYTES = 16

/**
 * Whether the first bytes of a file are those of its kind: an MP4 starts with an `ftyp` box (a size of at
 * least 16, then `ftyp`), a PNG with its 8-byte signature followed by an `IHDR` chunk. Returns what was
 * found instead when they are not, for the error message.
 */
export function checkMagic(kind: MediaKind, head: Buffer): { ok: true } | { ok: false; found: string } {
  if (kind === 'mp4') {
    const ok = head.length >= 12 && head.readUInt32BE(0) >= 16 && head.toString('latin1', 4, 8) === 'ftyp'
    return ok ? { ok } : { ok, found: describe(head) }
  }
  const ok =
    head.length >= 16 &&
    head.subarray(0, 8).equals(PNG_SIGNATURE) &&
    head.toString('latin1', 12, 16) === 'IHDR'
  return ok ? { ok } : { ok, found: describe(head) }
}

/** The first bytes as printable text where they are printable, hex otherwise. */
function describe(head: Buffer): string {
  const bytes = head.subarray(0, MAGIC_BYTES)
  const printable = [...bytes].every((byte) => byte >= 0x20 && byte < 0x7f)
  return printable
    ? JSON.stringify(bytes.toString('latin1'))
    : bytes.toString('hex').replace(/(..)/g, '$1 ').trim()
}
