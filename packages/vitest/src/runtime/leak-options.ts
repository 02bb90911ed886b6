import type { Size } from '@memgate/core'
import { InvalidLimitOptionError } from '../errors.js'
import { readPatterns } from './leak-patterns.js'
import type { DeclaredLimits, LeakCheckOptions, LeakIgnore } from './limit-types.js'
import { show } from './show.js'

export interface Call {
  name: 'limitMemory' | 'limitLeaks'
  limit: Size | false
  hasPeak: boolean
  hasLeaks: boolean
}

const KNOWN = ['runs', 'ignore', 'diagnose'] as const

/**
 * Checks that the options argument of a `limitMemory()` / `limitLeaks()` call is an object (or left out);
 * throws {@link InvalidLimitOptionError} naming the call otherwise.
 */
export function checkOptionsObject(
  call: Pick<Call, 'name' | 'limit'>,
  options: unknown,
  example: string,
): void {
  if (options === undefined || (typeof options === 'object' && options !== null && !Array.isArray(options)))
    return
  throw new InvalidLimitOptionError(
    `${call.name}(${show(call.limit)}, ${show(options)})`,
    'options',
    `the options must be an object, e.g. ${call.name}(${show(call.limit)}, ${example}), or left out`,
  )
}

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
    const patterns = (key: 'kinds' | 'sites') =>
      readPatterns(
        ignore[key],
        {
          call: `${call.name}(${show(call.limit)}, { ignore: ${show(ignore)} })`,
          option: `ignore.${key}`,
          what: key === 'kinds' ? 'kind' : 'site',
        },
        (reason) => fail('ignore', ignore, `ignore.${key}: ${reason}`),
      )
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
      'diagnose must be true, false, or { sites: true | false } (allocation sites tracked or not; by default only for a body under 2 s whose tracked re-run is expected to fit in its timeout)'
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
