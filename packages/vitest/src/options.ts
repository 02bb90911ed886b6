import { DEFAULT_SAMPLING_INTERVAL, MemgateError, parseSize, type Size } from '@memgate/core'

/** Options of the {@link memgate} plugin. */
export interface MemgateOptions {
  /** The "memory fence": a peak limit for every test that sets no peak limit of its own, e.g. `'50 MB'`. */
  limit?: Size
  /** A leak limit for every test that sets no leak limit of its own. */
  leaks?: Size
  /** How many allocation sites a failure shows. Default 5. */
  sites?: number
  /** How many frames (the allocating function, then its callers) each site shows. Default 3. */
  frames?: number
  /** Average bytes between two samples of V8's sampling heap profiler. Default 32 KiB, V8's own. */
  samplingInterval?: Size
  /** Where heap profiles and the summary are written, relative to the project root. Default `.memgate`. */
  outputDir?: string
  /** After the run, print the tests with the highest peak and write `<outputDir>/summary.json`. Default false. */
  summary?: boolean
  /** How many tests the summary lists. Default 10. */
  summaryTop?: number
  /**
   * Start `forks` and `vmForks` workers with a small young generation (`--max-semi-space-size=1`), so
   * short-lived garbage does not read as peak memory. Default `true`; ignored if `execArgv` already sets
   * the semi-space size. The `threads` pools cannot take V8 flags.
   */
  pinYoungGeneration?: boolean
}

/** The plugin's options, read and defaulted; sizes in bytes. */
export interface ResolvedOptions {
  limit: number | undefined
  leaks: number | undefined
  sites: number
  frames: number
  samplingInterval: number
  outputDir: string
  summary: boolean
  summaryTop: number
  pinYoungGeneration: boolean
}

/** An option given to `memgate()` that cannot be used. */
export class InvalidOptionError extends MemgateError {
  /** The option's name. */
  readonly option: string

  constructor(option: string, reason: string) {
    super('MEMGATE_INVALID_OPTION', `memgate({ ${option} }): ${reason}`)
    this.option = option
  }
}

const KNOWN: readonly (keyof MemgateOptions)[] = [
  'limit',
  'leaks',
  'sites',
  'frames',
  'samplingInterval',
  'outputDir',
  'summary',
  'summaryTop',
  'pinYoungGeneration',
]

/** Checks every option and fills in the defaults; throws {@link InvalidOptionError} naming the bad option. */
export function resolveOptions(options: MemgateOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', `expected an object, got ${typeof options}`)
  for (const key of Object.keys(options)) {
    if (!(KNOWN as string[]).includes(key))
      throw new InvalidOptionError(key, `unknown option. The options are: ${KNOWN.join(', ')}.`)
  }
  const samplingInterval = size('samplingInterval', options.samplingInterval) ?? DEFAULT_SAMPLING_INTERVAL
  if (samplingInterval < 1) throw new InvalidOptionError('samplingInterval', 'must be at least 1 byte')
  return {
    limit: size('limit', options.limit),
    leaks: size('leaks', options.leaks),
    sites: count('sites', options.sites, 5, 0),
    frames: count('frames', options.frames, 3, 1),
    samplingInterval,
    outputDir: text('outputDir', options.outputDir, '.memgate'),
    summary: flag('summary', options.summary, false),
    summaryTop: count('summaryTop', options.summaryTop, 10, 1),
    pinYoungGeneration: flag('pinYoungGeneration', options.pinYoungGeneration, true),
  }
}

function size(option: string, value: Size | undefined): number | undefined {
  if (value === undefined) return undefined
  try {
    return parseSize(value)
  } catch (error) {
    throw new InvalidOptionError(option, (error as Error).message)
  }
}

function count(option: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new InvalidOptionError(option, `expected a whole number of at least ${min}, got ${show(value)}`)
  return value
}

function flag(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean')
    throw new InvalidOptionError(option, `expected true or false, got ${show(value)}`)
  return value
}

function text(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidOptionError(option, `expected a folder path, got ${show(value)}`)
  return value
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}
