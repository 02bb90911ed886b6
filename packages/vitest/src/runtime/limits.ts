import { parseSize, type Size } from '@memgate/core/size'
import type { BenchOptions, RunnerTestCase, TestOptions } from 'vitest'
import { checkOptionsObject, readLeakOptions } from './leak-options.js'
import type { DeclaredLimits, LeakCheckOptions, LeakIgnore, MemgateLimits, Pattern } from './limit-types.js'
import { assertPluginPresent } from './presence.js'
import { show } from './show.js'

declare module 'vitest' {
  interface TaskMeta {
    memgate?: { limits: DeclaredLimits }
  }
}

/** A test or describe block, with the blocks around it. */
export type LimitedTask = Pick<RunnerTestCase, 'meta'> & { suite?: LimitedTask | undefined }

/**
 * The limits a test declared, by kind, its own or its describe blocks': the nearest declaration of a peak limit
 * and the nearest of a leak limit (with that call's `runs`, `ignore`, `diagnose`), each from wherever it is.
 * Vitest hands a test only the nearest `meta.memgate` of all, which a test's `limitLeaks()` would take the
 * enclosing block's `limitMemory()` out of; each block keeps its own (over its parents'), so they are read here.
 */
export function declaredLimits(test: LimitedTask): DeclaredLimits | undefined {
  let peak: DeclaredLimits | undefined
  let leaks: DeclaredLimits | undefined
  for (let task: LimitedTask | undefined = test; task && !(peak && leaks); task = task.suite) {
    const limits = task.meta.memgate?.limits
    if (!limits) continue
    if (!peak && 'peak' in limits) peak = limits
    if (!leaks && 'leaks' in limits) leaks = limits
  }
  if (!peak && !leaks) return undefined
  const { runs, ignore, diagnose } = leaks ?? {}
  return {
    ...(peak ? { peak: peak.peak } : {}),
    ...(leaks ? { leaks: leaks.leaks } : {}),
    ...(runs !== undefined ? { runs } : {}),
    ...(ignore !== undefined ? { ignore } : {}),
    ...(diagnose !== undefined ? { diagnose } : {}),
  }
}

/**
 * The limits that apply to a test: its own over the plugin's defaults, with the ones turned off removed. Its
 * own `ignore` patterns add to the plugin's `ignoreLeaks` (listed first), unless it gave `ignore: false`.
 */
export function applicableLimits(fence: MemgateLimits, declared: DeclaredLimits = {}): MemgateLimits {
  const { peak, leaks, ignore: _, ...rest } = { ...fence, ...declared }
  const ignore = declared.ignore === null ? undefined : joinIgnores(fence.ignore, declared.ignore)
  return {
    ...rest,
    ...(peak === null || peak === undefined ? {} : { peak }),
    ...(leaks === null || leaks === undefined ? {} : { leaks }),
    // Only with a leak limit: a test held to its peak alone has no leak check to leave anything out of.
    ...(ignore && leaks !== null && leaks !== undefined ? { ignore } : {}),
  }
}

function joinIgnores(plugin: LeakIgnore | undefined, own: LeakIgnore | undefined): LeakIgnore | undefined {
  if (!plugin || !own) return plugin ?? own
  const join = (a: Pattern[], b: Pattern[]) => {
    const seen = new Set(a.map((pattern) => JSON.stringify(pattern)))
    return [...a, ...b.filter((pattern) => !seen.has(JSON.stringify(pattern)))]
  }
  return { kinds: join(plugin.kinds, own.kinds), sites: join(plugin.sites, own.sites) }
}

/**
 * What `limitMemory()` and `limitLeaks()` return: a test's options, and as well a bench's (Vitest 4's
 * `bench(name, fn, limitMemory('10 MB'))`, whose options are tinybench's and which the plugin reads).
 */
export type LimitOptions = TestOptions & BenchOptions

/**
 * Test options that limit the peak memory of the test body: `test(name, limitMemory('10 MB'), fn)`.
 * Pass `leaks` to limit what it leaves behind as well (and `runs`, `ignore`, `diagnose` as for
 * {@link limitLeaks}). The options are read at once, so a bad one fails when the file is collected.
 * `limitMemory(false)` turns the peak limit off for the test: the plugin's default `limit` does not apply
 * (`limitMemory(false, { leaks: false })` turns both off).
 */
export function limitMemory(
  limit: Size | false,
  options: { leaks?: Size | false } & LeakCheckOptions = {},
): LimitOptions {
  return declareLimits('limitMemory', 'peak', limit, options)
}

/**
 * Test options that limit the memory a test body leaves reachable: `test(name, limitLeaks('64 KB'), fn)`.
 * Pass `peak` to limit its peak as well; `runs: 5` to run the body five times and judge the growth per run
 * after the first (a cache filled once passes, one that grows on every call fails); `ignore` to leave out
 * known leaks by kind or allocation site; `diagnose: false` to skip the diagnosis of a failure.
 * `limitLeaks(false)` turns the leak limit off for the test: the plugin's default `leaks` does not apply.
 */
export function limitLeaks(
  limit: Size | false,
  options: { peak?: Size | false } & LeakCheckOptions = {},
): LimitOptions {
  return declareLimits('limitLeaks', 'leaks', limit, options)
}

const EXAMPLES = { limitMemory: '{ leaks: "1 MB" }', limitLeaks: '{ runs: 5 }' }

/** What `limitMemory()` and `limitLeaks()` do alike: `main` is the limit the call is named for, `limit` its size. */
function declareLimits(
  name: 'limitMemory' | 'limitLeaks',
  main: 'peak' | 'leaks',
  limit: Size | false,
  options: { peak?: Size | false; leaks?: Size | false } & LeakCheckOptions,
): LimitOptions {
  // Before the input is read: without the plugin, no limit can hold, right or wrong.
  assertPluginPresent(`${name}(${show(limit)})`)
  checkOptionsObject({ name, limit }, options, EXAMPLES[name])
  const other = main === 'peak' ? 'leaks' : 'peak'
  const { [other]: otherLimit, ...leakOptions } = options
  const limits: DeclaredLimits = { [main]: limit === false ? null : parseSize(limit) }
  if (otherLimit !== undefined) limits[other] = otherLimit === false ? null : parseSize(otherLimit)
  const given = (size: Size | false | undefined) => size !== undefined && size !== false
  const call = {
    name,
    limit,
    hasPeak: given(main === 'peak' ? limit : otherLimit),
    hasLeaks: given(main === 'leaks' ? limit : otherLimit),
  }
  Object.assign(limits, readLeakOptions(call, leakOptions, [other]))
  return { meta: { memgate: { limits } } }
}
