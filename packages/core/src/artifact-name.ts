import { createHash } from 'node:crypto'

/**
 * The most UTF-8 bytes of a test's name in an artifact's file name. File systems take 255 bytes a name; the
 * rest is left for the suffixes written beside it (`.attempt-<n>`, `.timeline.json`, the CLI's `.html`).
 */
export const ARTIFACT_NAME_BYTES = 120

const HASH_CHARS = 8

/**
 * The file name (no extension) a test's artifacts take, from its full name: anything but letters, digits, `_`,
 * `.` and `-` made `_`, at most `ARTIFACT_NAME_BYTES` UTF-8 bytes. A longer name is cut at a character and ends in
 * `-` and a short hash of the whole name, so two names sharing a long prefix stay apart, the same in every run:
 * @memgate/vitest writes the artifacts under it and `memgate report` finds them by it.
 */
export function artifactName(fullName: string): string {
  const name = fullName.replace(/[^\p{L}\p{M}\p{N}_.-]+/gu, '_').replace(/^_+|_+$/g, '') || 'test'
  if (Buffer.byteLength(name) <= ARTIFACT_NAME_BYTES) return name
  const hash = createHash('sha256').update(fullName).digest('hex').slice(0, HASH_CHARS)
  return `${cutToBytes(name, ARTIFACT_NAME_BYTES - HASH_CHARS - 1).replace(/[_.]+$/, '')}-${hash}`
}

/** The longest start of `text` within `bytes` UTF-8 bytes, cut between characters. */
function cutToBytes(text: string, bytes: number): string {
  let used = 0
  let end = 0
  for (const char of text) {
    used += Buffer.byteLength(char)
    if (used > bytes) break
    end += char.length
  }
  return text.slice(0, end)
}
