import { afterEach, describe, expect, test } from 'vitest'
import { InvalidOptionError, memgate } from '../../src/index.js'
import { type MemgateOptions, resolveOptions } from '../../src/options.js'

const GATE_DEFAULTS = {
  baseline: 'memgate.baseline.json',
  tolerance: 0.3,
  floor: 4_000_000,
  failOnNew: false,
  failOnRemoved: false,
}

/** The error `memgate(options)` throws (fails the test if it throws none). */
function errorOf(options: unknown): InvalidOptionError {
  try {
    memgate(options as MemgateOptions)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError)
    return error as InvalidOptionError
  }
  throw new Error(`memgate(${JSON.stringify(options)}) accepted the options`)
}

const SIZE_HELP =
  ' Give a number of bytes (e.g. 1048576) or a string with a unit: "100 B", "512 kB", "24 MB", "1.5 GiB" ' +
  '(kB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB are powers of 1024).'
const IGNORE_EXAMPLE = "{ kinds: ['CacheEntry', /^LRU/], sites: ['node_modules/some-lib'] }"

describe('the plugin options', () => {
  afterEach(() => {
    delete process.env.MEMGATE_SUMMARY
  })

  test('default to no limits, 5 sites of 3 frames, V8 sampling, .memgate, no summary, the gate on', () => {
    expect(resolveOptions()).toEqual({
      limit: undefined,
      leaks: undefined,
      ignoreLeaks: undefined,
      sites: 5,
      frames: 3,
      // V8's 32 KiB, filled in node-side (settingsFor): see plugin-config.
      samplingInterval: undefined,
      outputDir: '.memgate',
      summary: false,
      summaryTop: 10,
      pinYoungGeneration: true,
      gate: GATE_DEFAULTS,
    })
  })

  test('read sizes in bytes, and keep the counts, paths and flags given', () => {
    expect(
      resolveOptions({
        limit: '50 MB',
        leaks: '64 KiB',
        samplingInterval: 4096,
        sites: 0,
        frames: 1,
        outputDir: 'out/memory',
        summary: true,
        summaryTop: 3,
        pinYoungGeneration: false,
      }),
    ).toEqual({
      limit: 50_000_000,
      leaks: 65_536,
      ignoreLeaks: undefined,
      sites: 0,
      frames: 1,
      samplingInterval: 4096,
      outputDir: 'out/memory',
      summary: true,
      summaryTop: 3,
      pinYoungGeneration: false,
      gate: GATE_DEFAULTS,
    })
  })

  test('MEMGATE_SUMMARY=1 turns the summary on; any other value leaves the option', () => {
    process.env.MEMGATE_SUMMARY = '1'
    expect(resolveOptions().summary).toBe(true)
    process.env.MEMGATE_SUMMARY = 'true'
    expect(resolveOptions().summary).toBe(false)
  })

  test('ignoreLeaks keeps RegExps as their source and flags; empty lists are no filter', () => {
    expect(resolveOptions({ ignoreLeaks: { kinds: ['CacheEntry', /^LRU/i] } }).ignoreLeaks).toEqual({
      kinds: ['CacheEntry', { regexp: '^LRU', flags: 'i' }],
      sites: [],
    })
    expect(resolveOptions({ ignoreLeaks: { kinds: [], sites: [] } }).ignoreLeaks).toBeUndefined()
  })

  test.for([
    [{ limit: '50' }, 'limit', `Invalid memory size "50": it has no unit.${SIZE_HELP}`],
    [{ leaks: -1 }, 'leaks', `Invalid memory size -1: a size cannot be negative.${SIZE_HELP}`],
    [{ samplingInterval: 0 }, 'samplingInterval', 'must be at least 1 byte'],
    [{ sites: 2.5 }, 'sites', 'expected a whole number of at least 0, got 2.5'],
    [{ frames: 0 }, 'frames', 'expected a whole number of at least 1, got 0'],
    [{ summaryTop: '3' }, 'summaryTop', 'expected a whole number of at least 1, got "3"'],
    [{ outputDir: '' }, 'outputDir', 'expected a folder path, got ""'],
    [{ outputDir: '  ' }, 'outputDir', 'expected a folder path, got "  "'],
    [{ summary: 'yes' }, 'summary', 'expected true or false, got "yes"'],
    [{ pinYoungGeneration: 1 }, 'pinYoungGeneration', 'expected true or false, got 1'],
    [
      { limits: '5 MB' },
      'limits',
      'unknown option. The options are: limit, leaks, sites, frames, ignoreLeaks, samplingInterval, outputDir, summary, summaryTop, pinYoungGeneration, gate.',
    ],
    [
      { ignoreLeaks: ['CacheEntry'] },
      'ignoreLeaks',
      `expected an object of kinds and sites, e.g. ${IGNORE_EXAMPLE}, got ["CacheEntry"]`,
    ],
    [
      { ignoreLeaks: /Cache/ },
      'ignoreLeaks',
      `expected an object of kinds and sites, e.g. ${IGNORE_EXAMPLE}, got /Cache/`,
    ],
    [
      { ignoreLeaks: { kind: ['CacheEntry'] } },
      'ignoreLeaks.kind',
      `unknown key. ignoreLeaks takes kinds and sites, e.g. ${IGNORE_EXAMPLE}.`,
    ],
    [
      { ignoreLeaks: { sites: /some-lib/ } },
      'ignoreLeaks.sites',
      'expected an array of strings and RegExps, got /some-lib/: write [/some-lib/]',
    ],
    [
      { ignoreLeaks: { kinds: 'CacheEntry' } },
      'ignoreLeaks.kinds',
      'expected an array of strings and RegExps, got "CacheEntry": write ["CacheEntry"]',
    ],
    [
      { ignoreLeaks: { kinds: ['CacheEntry', 3] } },
      'ignoreLeaks.kinds',
      'expected an array of strings and RegExps, got 3 in ["CacheEntry", 3]',
    ],
  ] as const)('reject %o, naming the option', ([options, option, reason]) => {
    const error = errorOf(options)
    expect(error.code).toBe('MEMGATE_INVALID_OPTION')
    expect(error.option).toBe(option)
    expect(error.message).toBe(`memgate({ ${option} }): ${reason}`)
  })

  test('options that are not an object are refused', () => {
    expect(errorOf('50 MB').message).toBe('memgate({ options }): expected an object, got string')
  })
})

describe('the gate options', () => {
  test('true is the defaults, false turns the gate off', () => {
    expect(resolveOptions({ gate: true }).gate).toEqual(GATE_DEFAULTS)
    expect(resolveOptions({ gate: false }).gate).toBe(false)
  })

  test('read a tolerance as a fraction or a percentage, and the floor as a size', () => {
    expect(
      resolveOptions({
        gate: {
          tolerance: 0.15,
          floor: '512 kB',
          baseline: 'ci/base.json',
          failOnNew: true,
          failOnRemoved: true,
        },
      }).gate,
    ).toEqual({
      baseline: 'ci/base.json',
      tolerance: 0.15,
      floor: 512_000,
      failOnNew: true,
      failOnRemoved: true,
    })
    expect(resolveOptions({ gate: { tolerance: '12.5%' } }).gate).toMatchObject({ tolerance: 0.125 })
    expect(resolveOptions({ gate: { tolerance: ' 0 % ' } }).gate).toMatchObject({ tolerance: 0 })
    expect(resolveOptions({ gate: { tolerance: 1 } }).gate).toMatchObject({ tolerance: 1 })
  })

  test.for([
    [
      { tolerance: 10 },
      'gate.tolerance',
      "expected a fraction from 0 to 1 (0.1) or a percentage ('10%'), got 10",
    ],
    [
      { tolerance: 'ten' },
      'gate.tolerance',
      `expected a fraction from 0 to 1 (0.1) or a percentage ('10%'), got "ten"`,
    ],
    [
      { tolerance: -0.1 },
      'gate.tolerance',
      "expected a fraction from 0 to 1 (0.1) or a percentage ('10%'), got -0.1",
    ],
    [{ floor: '2' }, 'gate.floor', `Invalid memory size "2": it has no unit.${SIZE_HELP}`],
    [{ baseline: '' }, 'gate.baseline', 'expected a file path, got ""'],
    [{ failOnNew: 'yes' }, 'gate.failOnNew', 'expected true or false, got "yes"'],
    [{ failOnRemoved: 0 }, 'gate.failOnRemoved', 'expected true or false, got 0'],
    [
      { tolerence: 0.1 },
      'gate.tolerence',
      "unknown option. The gate's options are: baseline, tolerance, floor, failOnNew, failOnRemoved.",
    ],
  ] as const)('reject %o, naming the option', ([gate, option, reason]) => {
    const error = errorOf({ gate })
    expect(error.code).toBe('MEMGATE_INVALID_OPTION')
    expect(error.option).toBe(option)
    expect(error.message).toBe(`memgate({ ${option} }): ${reason}`)
  })

  test('a gate that is neither a boolean nor an object is refused', () => {
    expect(errorOf({ gate: 'on' }).message).toBe(
      'memgate({ gate }): expected true, false or an object, got "on"',
    )
  })
})
