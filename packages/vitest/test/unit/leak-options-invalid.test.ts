import { describe, expect, test } from 'vitest'
import { InvalidLimitOptionError, limitLeaks, limitMemory } from '../../src/index.js'

describe('leak options are kept as plain data in the test meta', () => {
  test('runs, ignore (RegExps as source and flags) and diagnose', () => {
    expect(
      limitLeaks('1 kB', {
        runs: 5,
        ignore: { kinds: ['Label', /^Map$/i], sites: ['intern.ts'] },
        diagnose: true,
      }),
    ).toEqual({
      meta: {
        memgate: {
          limits: {
            leaks: 1000,
            runs: 5,
            ignore: { kinds: ['Label', { regexp: '^Map$', flags: 'i' }], sites: ['intern.ts'] },
          },
        },
      },
    })
  })

  test('diagnose: { sites: true | false } is kept (the default decides by the body time); {} adds nothing', () => {
    expect(limitLeaks('1 kB', { diagnose: { sites: false } })).toEqual({
      meta: { memgate: { limits: { leaks: 1000, diagnose: { sites: false } } } },
    })
    expect(limitLeaks('1 kB', { diagnose: { sites: true } })).toEqual({
      meta: { memgate: { limits: { leaks: 1000, diagnose: { sites: true } } } },
    })
    expect(limitLeaks('1 kB', { diagnose: {} })).toEqual(limitLeaks('1 kB'))
  })

  test('limitMemory takes them with its leak limit; runs: 1 and empty filters add nothing', () => {
    expect(limitMemory('10 MB', { leaks: '1 kB', runs: 3, diagnose: false })).toEqual({
      meta: { memgate: { limits: { peak: 10_000_000, leaks: 1000, runs: 3, diagnose: false } } },
    })
    expect(limitLeaks('1 kB', { runs: 1, ignore: {} })).toEqual({
      meta: { memgate: { limits: { leaks: 1000 } } },
    })
  })
})

const RUNS = 'runs must be a whole number from 1 to 1000 (the times the test body runs).'
const DIAGNOSE =
  'diagnose must be true, false, or { sites: true | false } (allocation sites tracked or not; by default only for a body under 2 s whose tracked re-run is expected to fit in its timeout).'

describe('bad leak options throw when the test is declared, quoting the call', () => {
  test.for([
    ['runs', `limitLeaks("1 kB", { runs: 0 }): ${RUNS}`, () => limitLeaks('1 kB', { runs: 0 })],
    ['runs', `limitLeaks(1000, { runs: 2.5 }): ${RUNS}`, () => limitLeaks(1000, { runs: 2.5 })],
    ['runs', `limitLeaks("1 kB", { runs: 1001 }): ${RUNS}`, () => limitLeaks('1 kB', { runs: 1001 })],
    [
      'runs',
      `limitLeaks("1 kB", { runs: "3" }): ${RUNS}`,
      () => limitLeaks('1 kB', { runs: '3' as unknown as number }),
    ],
    [
      'runs',
      'limitMemory("10 MB", { runs: 3 }): runs repeats the body for the leak check: give a leak limit too (`leaks`).',
      () => limitMemory('10 MB', { runs: 3 }),
    ],
    [
      'runz',
      'limitLeaks("1 kB", { runz: 3 }): unknown option. The options are: peak, runs, ignore, diagnose.',
      () => limitLeaks('1 kB', { runz: 3 } as never),
    ],
    [
      'runz',
      'limitMemory("1 kB", { runz: 3 }): unknown option. The options are: leaks, runs, ignore, diagnose.',
      () => limitMemory('1 kB', { runz: 3 } as never),
    ],
    [
      'ignore',
      `limitLeaks("1 kB", { ignore: ["Label"] }): ignore must be an object: { kinds?: [...], sites?: [...] }, or false (drop the plugin's ignoreLeaks).`,
      () => limitLeaks('1 kB', { ignore: ['Label'] as never }),
    ],
    [
      'ignore',
      'limitLeaks("1 kB", { ignore: { kinds: [3] } }): ignore.kinds: expected an array of strings and RegExps, got 3 in [3].',
      () => limitLeaks('1 kB', { ignore: { kinds: [3 as never] } }),
    ],
    [
      'ignore',
      'limitLeaks("1 kB", { ignore: { kind: ["Label"] } }): unknown key "kind": ignore takes kinds and sites.',
      () => limitLeaks('1 kB', { ignore: { kind: ['Label'] } as never }),
    ],
    [
      'ignore',
      'limitLeaks("1 kB", { ignore: { kinds: ["Label"] } }): ignore.kinds needs the diagnosis to tell the kinds apart: drop `diagnose: false`, or ignore by sites.',
      () => limitLeaks('1 kB', { ignore: { kinds: ['Label'] }, diagnose: false }),
    ],
    [
      'ignore',
      'limitLeaks("1 kB", { ignore: { sites: [/intern/] } }): ignore.sites needs the profile of retained objects, which a peak limit replaces with one of all allocations: also give runs of 2 or more (the runs after the first are profiled for leaks), or ignore by kinds.',
      () => limitLeaks('1 kB', { peak: '10 MB', ignore: { sites: [/intern/] } }),
    ],
    [
      'ignore',
      'limitMemory("10 MB", { ignore: { kinds: ["x"] } }): ignore applies to the leak check: give a leak limit too (`leaks`).',
      () => limitMemory('10 MB', { ignore: { kinds: ['x'] } }),
    ],
    [
      'diagnose',
      `limitLeaks("1 kB", { diagnose: "no" }): ${DIAGNOSE}`,
      () => limitLeaks('1 kB', { diagnose: 'no' as never }),
    ],
    [
      'diagnose',
      `limitLeaks("1 kB", { diagnose: { sites: "off" } }): ${DIAGNOSE}`,
      () => limitLeaks('1 kB', { diagnose: { sites: 'off' as never } }),
    ],
    [
      'diagnose',
      `limitLeaks("1 kB", { diagnose: { site: false } }): unknown key "site": ${DIAGNOSE}`,
      () => limitLeaks('1 kB', { diagnose: { site: false } as never }),
    ],
    [
      'options',
      'limitLeaks("1 kB", null): the options must be an object, e.g. limitLeaks("1 kB", { runs: 5 }), or left out.',
      () => limitLeaks('1 kB', null as never),
    ],
    [
      'options',
      'limitMemory("10 MB", "1 MB"): the options must be an object, e.g. limitMemory("10 MB", { leaks: "1 MB" }), or left out.',
      () => limitMemory('10 MB', '1 MB' as never),
    ],
    [
      'options',
      'limitLeaks("1 kB", [function body]): the options must be an object, e.g. limitLeaks("1 kB", { runs: 5 }), or left out.',
      () => limitLeaks('1 kB', function body() {} as never),
    ],
    [
      'options',
      'limitLeaks(false, [5]): the options must be an object, e.g. limitLeaks(false, { runs: 5 }), or left out.',
      () => limitLeaks(false, [5] as never),
    ],
  ] as const)('%s: %s', ([option, message, declare]) => {
    let error: unknown
    try {
      declare()
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InvalidLimitOptionError)
    expect((error as InvalidLimitOptionError).code).toBe('MEMGATE_INVALID_LIMIT_OPTION')
    expect((error as InvalidLimitOptionError).option).toBe(option)
    expect((error as InvalidLimitOptionError).message).toBe(message)
  })

  test('ignore.sites with a peak limit is fine once the runs after the first are profiled for leaks', () => {
    expect(limitLeaks('1 kB', { peak: '10 MB', runs: 2, ignore: { sites: ['intern', /vendor/] } })).toEqual({
      meta: {
        memgate: {
          limits: {
            leaks: 1000,
            peak: 10_000_000,
            runs: 2,
            ignore: { kinds: [], sites: ['intern', { regexp: 'vendor', flags: '' }] },
          },
        },
      },
    })
  })
})
