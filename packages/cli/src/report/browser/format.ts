/// <reference lib="dom" />

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']
const DECIMAL = new Intl.NumberFormat('en-US', {
  maximumFractionDigits: 1,
  roundingMode: 'trunc',
  useGrouping: false,
} as Intl.NumberFormatOptions)

/**
 * Bytes for people, as `formatSize` of @memgate/core writes them in the terminal: SI units (1 MB = 10^6
 * bytes), at most one decimal, truncated (`48.2 MB`).
 */
export function formatSize(bytes: number): string {
  const sign = bytes < 0 ? '-' : ''
  let value = Math.abs(bytes)
  let exponent = value >= 1 ? Math.min(Math.floor(Math.log10(value) / 3), SIZE_UNITS.length - 1) : 0
  value /= 1000 ** exponent
  if (value < 1 && exponent > 0) {
    value *= 1000
    exponent -= 1
  }
  return `${sign}${DECIMAL.format(value)} ${SIZE_UNITS[exponent]}`
}

/** A share of a whole, as a percentage with one decimal. */
export function formatShare(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '0.0%'
}

/** Milliseconds for people: `850 ms`, `12.3 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}
