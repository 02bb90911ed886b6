import prettyBytes from 'pretty-bytes'
import { InvalidSizeError } from './errors.js'

/** Anything `parseSize` accepts: a number of bytes, or a string with a unit. */
export type Size = number | string

// Lower-cased unit → bytes. SI units are decimal and IEC units binary, as Vitest reads `vmMemoryLimit`;
// the one-letter forms are Vitest's shorthands for the SI units.
const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
}

const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)\s*$/i

/**
 * Reads a memory size and returns it in bytes (an integer).
 *
 * Accepts a non-negative integer number of bytes, or a string such as `"24 MB"`, `"24MB"`, `"1.5 GiB"`,
 * `"512 kB"` or `"100 B"`. Units are case-insensitive. Throws {@link InvalidSizeError}, quoting the input, for
 * anything else: a string without a unit, a negative or non-finite number, an unknown unit, trailing words.
 */
export function parseSize(input: Size): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new InvalidSizeError(input, 'it is not a finite number')
    if (input < 0) throw new InvalidSizeError(input, 'a size cannot be negative')
    if (!Number.isSafeInteger(input))
      throw new InvalidSizeError(input, 'a number of bytes must be a whole number')
    return input
  }
  if (typeof input !== 'string') throw new InvalidSizeError(input, 'expected a number or a string')

  const match = SIZE_PATTERN.exec(input)
  if (!match) {
    const reason = /^\s*-/.test(input)
      ? 'a size cannot be negative'
      : /^\s*\d+(?:\.\d+)?\s*$/.test(input)
        ? 'it has no unit'
        : 'it is not a number followed by a unit'
    throw new InvalidSizeError(input, reason)
  }
  const [, amount = '', unit = ''] = match
  const factor = UNITS[unit.toLowerCase()]
  if (factor === undefined) throw new InvalidSizeError(input, `"${unit}" is not a unit of memory`)
  const bytes = Math.round(Number(amount) * factor)
  if (!Number.isSafeInteger(bytes)) throw new InvalidSizeError(input, 'it is too large')
  return bytes
}

/**
 * Formats bytes for people, in the one convention used in every output of memgate: SI units (1 MB = 10^6 bytes),
 * at most one decimal. `signed` prefixes a `+` to growth, for changes.
 */
export function formatSize(bytes: number, options: { signed?: boolean } = {}): string {
  return prettyBytes(bytes, { maximumFractionDigits: 1, signed: options.signed ?? false })
}
