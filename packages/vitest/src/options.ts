import { parseSize, type Size } from '@memgate/core/size'
import { InvalidOptionError } from './errors.js'
import { readPatterns } from './runtime/leak-patterns.js'
import type { IgnorePatterns, LeakIgnore } from './runtime/limit-types.js'
import { isRegExp, show } from './runtime/show.js'

/** Options of the {@link memgate} plugin. */
export interface MemgateOptions {
  /** The "memory fence": a peak limit for every test that sets no peak limit of its own, e.g. `'50 MB'`. */
  limit?: Size
  /** A leak limit for every test that sets no leak limit of its own. */
  leaks?: Size
  /**
   * Leaks every leak check of the project leaves out, e.g. a known cache: `kinds` of leaked objects as a
   * failure's diagnosis names them (`'CacheEntry'`, `/^LRU/`), `sites` as its allocation sites show them
   * (`'node_modules/some-lib'`). A test's own `ignore` adds to these; `ignore: false` drops them for that test.
   */
  ignoreLeaks?: IgnorePatterns
  /** How many allocation sites a failure shows. Default 5. */
  sites?: number
  /** How many frames (the allocating function, then its callers) each site shows. Default 3. */
  frames?: number
  /** Average bytes between two samples of V8's sampling heap profiler. Default 32 KiB, V8's own. */
  samplingInterval?: Size
  /** Where heap profiles and the summary are written, relative to the project root. Default `.memgate`. */
  outputDir?: string
  /**
   * After the run, print the tests with the highest peak and write `<outputDir>/summary.json`. Default false;
   * `MEMGATE_SUMMARY=1` in the environment turns it on for one run without editing the config.
   */
  summary?: boolean
  /** How many tests the summary lists. Default 10. */
  summaryTop?: number
  /**
   * Measure with a small young generation (1 MB semi-spaces), so short-lived garbage does not read as peak
   * memory. With a default `limit`/`leaks` or the summary (every test measured) workers start with it
   * (`--max-semi-space-size=1`, or `resourceLimits` for threads); otherwise each worker pins its own in place
   * before its first measurement that forces a GC, so a worker that measures nothing keeps V8's default.
   * Default `true`; ignored if `execArgv` already sets the semi-space size.
   */
  pinYoungGeneration?: boolean
  /**
   * The regression gate: fails a measured test whose peak (or leaked) memory grew beyond a tolerance over its
   * entry in a baseline file. On by default (a missing baseline is only a notice); `false` turns it off.
   */
  gate?: boolean | GateOptions
}

/** Options of the regression gate, `memgate({ gate: { … } })`. */
export interface GateOptions {
  /** The baseline file, relative to the project root. Default `memgate.baseline.json`. */
  baseline?: string
  /** How much a figure may grow over its baseline: a fraction (`0.3`) or a percentage (`'30%'`). Default 30%. */
  tolerance?: number | string
  /** Growth up to this size always passes, whatever the tolerance. Default `'4 MB'`. */
  floor?: Size
  /** Fail a measured test that has no entry in the baseline. Default false: it is reported. */
  failOnNew?: boolean
  /** Fail the run when tests in the baseline are gone. Default false: they are reported. */
  failOnRemoved?: boolean
}

/** The gate's options, read and defaulted; the floor in bytes, the tolerance a fraction. */
export interface ResolvedGate {
  baseline: string
  tolerance: number
  floor: number
  failOnNew: boolean
  failOnRemoved: boolean
}

/** The plugin's options, read and defaulted; sizes in bytes. */
export interface ResolvedOptions {
  limit: number | undefined
  leaks: number | undefined
  /** As test meta keeps them: RegExps as their source and flags, so they reach the workers. */
  ignoreLeaks: LeakIgnore | undefined
  sites: number
  frames: number
  /** `undefined`: V8's default (core's `DEFAULT_SAMPLING_INTERVAL`), filled in node-side. */
  samplingInterval: number | undefined
  outputDir: string
  summary: boolean
  summaryTop: number
  pinYoungGeneration: boolean
  gate: ResolvedGate | false
}

const KNOWN: readonly (keyof MemgateOptions)[] = [
  'limit',
  'leaks',
  'sites',
  'frames',
  'ignoreLeaks',
  'samplingInterval',
  'outputDir',
  'summary',
  'summaryTop',
  'pinYoungGeneration',
  'gate',
]

const GATE_KNOWN: readonly (keyof GateOptions)[] = [
  'baseline',
  'tolerance',
  'floor',
  'failOnNew',
  'failOnRemoved',
]

/** Checks every option and fills in the defaults; throws {@link InvalidOptionError} naming the bad option. */
export function resolveOptions(options: MemgateOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', `expected an object, got ${typeof options}`)
  for (const key of Object.keys(options)) {
    if (!(KNOWN as string[]).includes(key))
      throw new InvalidOptionError(key, `unknown option. The options are: ${KNOWN.join(', ')}.`)
  }
  // The default is filled in by node/config.ts: this module is loaded in test workers too, and the engine is not.
  const samplingInterval = size('samplingInterval', options.samplingInterval)
  if (samplingInterval !== undefined && samplingInterval < 1)
    throw new InvalidOptionError('samplingInterval', 'must be at least 1 byte')
  return {
    limit: size('limit', options.limit),
    leaks: size('leaks', options.leaks),
    ignoreLeaks: ignoreLeaks(options.ignoreLeaks),
    sites: count('sites', options.sites, 5, 0),
    frames: count('frames', options.frames, 3, 1),
    samplingInterval,
    outputDir: text('outputDir', options.outputDir, '.memgate'),
    summary: flag('summary', options.summary, false) || process.env.MEMGATE_SUMMARY === '1',
    summaryTop: count('summaryTop', options.summaryTop, 10, 1),
    pinYoungGeneration: flag('pinYoungGeneration', options.pinYoungGeneration, true),
    gate: gate(options.gate),
  }
}

function gate(value: boolean | GateOptions | undefined): ResolvedGate | false {
  if (value === false) return false
  const options = value === undefined || value === true ? {} : value
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('gate', `expected true, false or an object, got ${show(options)}`)
  for (const key of Object.keys(options)) {
    if (!(GATE_KNOWN as string[]).includes(key))
      throw new InvalidOptionError(
        `gate.${key}`,
        `unknown option. The gate's options are: ${GATE_KNOWN.join(', ')}.`,
      )
  }
  return {
    baseline: text('gate.baseline', options.baseline, 'memgate.baseline.json', 'a file path'),
    tolerance: tolerance(options.tolerance),
    // Above the run-to-run moves measured (README, "CI gate"): the peak's grain with the pinned young
    // generation (up to 3.4 MB for garbage-only work), and +25% for a test that drops 1 MB arrays.
    floor: size('gate.floor', options.floor) ?? 4_000_000,
    failOnNew: flag('gate.failOnNew', options.failOnNew, false),
    failOnRemoved: flag('gate.failOnRemoved', options.failOnRemoved, false),
  }
}

const IGNORE_EXAMPLE = "{ kinds: ['CacheEntry', /^LRU/], sites: ['node_modules/some-lib'] }"

function ignoreLeaks(value: unknown): LeakIgnore | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isRegExp(value))
    throw new InvalidOptionError(
      'ignoreLeaks',
      `expected an object of kinds and sites, e.g. ${IGNORE_EXAMPLE}, got ${show(value)}`,
    )
  for (const key of Object.keys(value)) {
    if (key !== 'kinds' && key !== 'sites')
      throw new InvalidOptionError(
        `ignoreLeaks.${key}`,
        `unknown key. ignoreLeaks takes kinds and sites, e.g. ${IGNORE_EXAMPLE}.`,
      )
  }
  const patterns = (key: 'kinds' | 'sites') => {
    const option = `ignoreLeaks.${key}`
    const place = { call: `memgate({ ${option} })`, option, what: key === 'kinds' ? 'kind' : 'site' } as const
    return readPatterns(
      (value as Record<string, unknown>)[key],
      place,
      (reason) => new InvalidOptionError(option, reason),
    )
  }
  const read: LeakIgnore = { kinds: patterns('kinds'), sites: patterns('sites') }
  return read.kinds.length > 0 || read.sites.length > 0 ? read : undefined
}

function tolerance(value: unknown): number {
  if (value === undefined) return 0.3
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1) return value
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value) : null
  if (match) return Number(match[1]) / 100
  throw new InvalidOptionError(
    'gate.tolerance',
    `expected a fraction from 0 to 1 (0.1) or a percentage ('10%'), got ${show(value)}`,
  )
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

function text(option: string, value: unknown, fallback: string, what = 'a folder path'): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidOptionError(option, `expected ${what}, got ${show(value)}`)
  return value
}
