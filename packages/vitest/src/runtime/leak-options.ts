import type { Size } from '@memgate/core'
import { InvalidLimitOptionError } from './errors.js'
import { type LeakIgnore, toPattern } from './leak-filter.js'
import type { DeclaredLimits } from './limits.js'

/** Options of a leak limit, besides the sizes. */
export interface LeakCheckOptions {
  /**
   * Runs of the test body (default 1). Over 1, the body runs that many times in a row and the leak limit
   * holds for the growth per run over the runs after the first: what a first run fills once (a lazy cache,
   * a module loaded on first use) passes, what grows on every run fails. Hooks run once around all runs.
   */
  runs?: number
  /**
   * Leaks to leave out of the check (like pytest-memray's `filter_fn`): `kinds` of leaked objects as a
   * failure's diagnosis names them (`'PriceQuote'`, `/^Map$/`), `sites` as its allocation sites show them
   * (`'intern.ts'`, `/loadFixtures/`). Matching memory is subtracted from the leaked figure. These add to the
   * plugin's `ignoreLeaks`; `false` drops those for this test.
   */
  ignore?: { kinds?: (string | RegExp)[]; sites?: (string | RegExp)[] } | false
  /**
   * Diagnose a failing leak check (re-run the body between two heap snapshots). Default true. When the body's
   * measured run took under 2 s, the re-run tracks where every object is allocated, so that each leaked kind
   * gets its allocation site; that makes the re-run slower (~9× for a body making 500,000 small objects, in
   * core's BENCHMARKS.md, and far more for a long async body: V8 re-walks the heap every 50 ms meanwhile).
   * `{ sites: true }` tracks them whatever the body's time, `{ sites: false }` never; `false` does not diagnose.
   */
  diagnose?: boolean | { sites?: boolean }
}

interface Call {
  name: 'limitMemory' | 'limitLeaks'
  limit: Size | false
  hasPeak: boolean
  hasLeaks: boolean
}

const KNOWN = ['runs', 'ignore', 'diagnose'] as const

/** Checks the leak options of a `limitMemory()` / `limitLeaks()` call; throws naming the call and input. */
export function readLeakOptions(
  call: Call,
  options: LeakCheckOptions,
  sizeKeys: string[],
): Pick<DeclaredLimits, 'runs' | 'ignore' | 'diagnose'> {
  const fail = (option: string, value: unknown, reason: string) =>
    new InvalidLimitOptionError(
      `${call.name}(${show(call.limit)}, { ${option}: ${show(value)} })`,
      option,
      reason,
    )
  if (typeof options !== 'object' || options === null)
    throw fail('options', options, 'the options must be an object')
  for (const key of Object.keys(options)) {
    if (!(KNOWN as readonly string[]).includes(key))
      throw fail(
        key,
        (options as Record<string, unknown>)[key],
        `unknown option. The options are: ${[...sizeKeys, ...KNOWN].join(', ')}`,
      )
  }
  const read: ReturnType<typeof readLeakOptions> = {}
  const { runs, ignore, diagnose } = options
  if (runs !== undefined) {
    if (typeof runs !== 'number' || !Number.isInteger(runs) || runs < 1 || runs > 1000)
      throw fail('runs', runs, 'runs must be a whole number from 1 to 1000 (the times the test body runs)')
    if (!call.hasLeaks)
      throw fail('runs', runs, 'runs repeats the body for the leak check: give a leak limit too (`leaks`)')
    if (runs > 1) read.runs = runs
  }
  if (ignore === false) {
    if (!call.hasLeaks)
      throw fail('ignore', ignore, 'ignore applies to the leak check: give a leak limit too (`leaks`)')
    read.ignore = null
  } else if (ignore !== undefined) {
    if (typeof ignore !== 'object' || ignore === null || Array.isArray(ignore))
      throw fail(
        'ignore',
        ignore,
        "ignore must be an object: { kinds?: [...], sites?: [...] }, or false (drop the plugin's ignoreLeaks)",
      )
    for (const key of Object.keys(ignore)) {
      if (key !== 'kinds' && key !== 'sites')
        throw fail('ignore', ignore, `unknown key "${key}": ignore takes kinds and sites`)
    }
    const patterns = (key: 'kinds' | 'sites') => {
      const list: unknown = ignore[key] ?? []
      if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' || isRegExp(item)))
        throw fail(
          'ignore',
          ignore,
          `ignore.${key} must be an array of strings and RegExps, got ${show(list)}`,
        )
      return (list as (string | RegExp)[]).map(toPattern)
    }
    const patternsRead: LeakIgnore = { kinds: patterns('kinds'), sites: patterns('sites') }
    if (!call.hasLeaks)
      throw fail('ignore', ignore, 'ignore applies to the leak check: give a leak limit too (`leaks`)')
    if (patternsRead.sites.length > 0 && call.hasPeak && (read.runs ?? 1) === 1)
      throw fail(
        'ignore',
        ignore,
        'ignore.sites needs the profile of retained objects, which a peak limit replaces with one of all ' +
          'allocations: also give runs of 2 or more (the runs after the first are profiled for leaks), or ' +
          'ignore by kinds',
      )
    if (patternsRead.kinds.length > 0 || patternsRead.sites.length > 0) read.ignore = patternsRead
  }
  if (diagnose !== undefined) {
    const reason =
      'diagnose must be true, false, or { sites: true | false } (allocation sites tracked or not; by default only for a body that runs under 2 s)'
    if (typeof diagnose === 'object' && diagnose !== null && !Array.isArray(diagnose)) {
      for (const key of Object.keys(diagnose)) {
        if (key !== 'sites') throw fail('diagnose', diagnose, `unknown key "${key}": ${reason}`)
      }
      if (diagnose.sites !== undefined && typeof diagnose.sites !== 'boolean')
        throw fail('diagnose', diagnose, reason)
      if (typeof diagnose.sites === 'boolean') read.diagnose = { sites: diagnose.sites }
    } else if (typeof diagnose !== 'boolean') throw fail('diagnose', diagnose, reason)
    else if (!diagnose) read.diagnose = false
  }
  if (read.diagnose === false && (read.ignore?.kinds.length ?? 0) > 0)
    throw fail(
      'ignore',
      ignore,
      'ignore.kinds needs the diagnosis to tell the kinds apart: drop `diagnose: false`, or ignore by sites',
    )
  return read
}

function isRegExp(value: unknown): value is RegExp {
  // Not `instanceof`: a test file in a vm context has RegExps of its own realm.
  return Object.prototype.toString.call(value) === '[object RegExp]'
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (isRegExp(value)) return String(value)
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`
  if (typeof value === 'object' && value !== null)
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${key}: ${show(item)}`)
      .join(', ')} }`
  return String(value)
}
