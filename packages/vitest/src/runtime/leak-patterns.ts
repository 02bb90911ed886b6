import { EmptyPatternError } from '../errors.js'
import type { Pattern } from './limit-types.js'
import { isRegExp, show } from './show.js'

/** Where a list of patterns was given, for the errors: the call as the user wrote it, and the option's path. */
export interface PatternPlace {
  call: string
  option: string
  /** What one pattern matches. */
  what: 'kind' | 'site'
}

/**
 * Reads a list of leak patterns (`kinds` or `sites`: strings and RegExps) of the plugin's `ignoreLeaks` or a
 * test's `ignore`; RegExps become their source and flags, so they cross to the main process in test meta.
 * A list of the wrong shape fails with `invalid(reason)`, the caller's error; an empty string, which would
 * match everything, with {@link EmptyPatternError} wherever it was given.
 */
export function readPatterns(
  list: unknown,
  place: PatternPlace,
  invalid: (reason: string) => Error,
): Pattern[] {
  if (list === undefined || list === null) return []
  if (typeof list === 'string' || isRegExp(list))
    throw invalid(`expected an array of strings and RegExps, got ${show(list)}: write [${show(list)}]`)
  if (!Array.isArray(list)) throw invalid(`expected an array of strings and RegExps, got ${show(list)}`)
  for (const item of list) {
    if (item === '') throw new EmptyPatternError(place.call, place.option, place.what)
    if (typeof item !== 'string' && !isRegExp(item))
      throw invalid(`expected an array of strings and RegExps, got ${show(item)} in ${show(list)}`)
  }
  return (list as (string | RegExp)[]).map(toPattern)
}

export function toPattern(value: string | RegExp): Pattern {
  return typeof value === 'string' ? value : { regexp: value.source, flags: value.flags }
}
