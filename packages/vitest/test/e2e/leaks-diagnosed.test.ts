import { existsSync, readFileSync, rmSync } from 'node:fs'
import { basename, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { leakPatternOfKind } from '@memgate/test-utils/leak-catalogue'
import type { TestAnnotation } from 'vitest'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Reporter, TestModule } from 'vitest/node'
import { type FixtureRun, leakFailure, runFixture, testNamed } from './run-fixture.js'

// The kind, holder and site of each leak pattern, and each twin passing, are checked by leaks-catalogue.test.ts.
// Here, on some of the catalogue's patterns and on code of the fixture's own: what else a failure shows, and
// the options.
const root = fileURLToPath(new URL('../fixtures/leak-diagnosis/', import.meta.url))
const TEST_FILE = `${root}leaks.test.ts`
const CATALOGUE_FILE = fileURLToPath(import.meta.resolve('@memgate/test-utils/leak-catalogue'))
// Modules are named relative to the workers' working folder, which is this process's.
const CATALOGUE = relative(process.cwd(), CATALOGUE_FILE).replaceAll('.', '\\.')
const annotations = new Map<string, TestAnnotation[]>()
const collector: Reporter = {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    for (const module of modules) {
      for (const test of module.children.allTests()) annotations.set(test.fullName, [...test.annotations()])
    }
  },
}

const quotes = leakPatternOfKind('PriceQuote')
const intervals = leakPatternOfKind('MetricsBuffer')
const chunks = leakPatternOfKind('Buffer')

let run: FixtureRun
beforeAll(async () => {
  rmSync(`${root}.memgate`, { recursive: true, force: true })
  run = await runFixture('leak-diagnosis', { inline: { reporters: [collector] } })
}, 600_000)

/** The 1-based line of a file that starts with `marker` (exactly one does). */
function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, 'utf8').split('\n')
  const found = lines.flatMap((line, at) => (line.trimStart().startsWith(marker) ? [at + 1] : []))
  expect(found, `"${marker}" once in ${file}`).toHaveLength(1)
  return found[0] as number
}

/**
 * A group line, its retainer path, and the allocation site under it: the function that allocated most of its
 * bytes and the TypeScript line where that function starts (Vitest runs the transformed file, whose lines differ:
 * the test file and the catalogue have type declarations that the transform erases).
 */
function allocated(kind: string, count: string, fn: string, file: string, marker: string): RegExp {
  const literal = (text: string) => text.replace(/[()[\].]/g, '\\$&')
  const site = `${literal(fn)} \\(\\S*${literal(basename(file))}:${lineOf(file, marker)}\\)`
  return new RegExp(
    `\\n +[\\d.]+ [kM]?B {2}${literal(kind)} \\(${count}\\)\\n +held by [^\\n]+\\n +allocated at ${site}(,|\\n)`,
  )
}

/** A group line of the diagnosis and the retainer path under it. */
function group(kind: string, count: string, path: string): RegExp {
  const escaped = kind.replace(/[()]/g, '\\$&')
  return new RegExp(`\\n +[\\d.]+ [kM]?B {2}${escaped} \\(${count}\\)\\n +held by ${path}\\n`)
}

describe('what a failing leak check shows besides the kinds, holders and sites of the catalogue', () => {
  const index = '\\[\\d+\\]'
  test('the sampled sites of all kinds together, then the diagnosis; `new` is charged to the function calling it', () => {
    const message = leakFailure(run, 'diagnosis > a class with a static registry')
    const marker = "test('a class with a static registry'"
    // Sampled sites: the test's own function made the connections (`new` allocates in the caller).
    const sites = message.slice(0, message.indexOf('\n\nLeak diagnosis'))
    expect(sites).toMatch(/\n\nWhere the memory still reachable was allocated \(all kinds together\):\n/)
    expect(sites).toMatch(
      new RegExp(
        `\\n +[\\d.]+ kB {2}\\(anonymous\\) \\(\\S*leaks\\.test\\.ts:${lineOf(TEST_FILE, marker)}\\)`,
      ),
    )
    expect(message).toMatch(
      /\n\nLeak diagnosis \(the body ran once more under leak tracking; took [\d.]+ m?s\): objects that run made and left reachable after a full GC, by kind, largest first/,
    )
    expect(message).toMatch(
      group(
        'DbConnection',
        '2,000 new',
        `module ${CATALOGUE} → DbConnection\\.open \\(Array\\) → ${index} → DbConnection`,
      ),
    )
    // `new` allocates in its caller: the test's own function, a line of the test file.
    expect(message).toMatch(allocated('DbConnection', '2,000 new', '(anonymous)', TEST_FILE, marker))
  })

  test('a Map whose hash table grew is listed as grown, with no new Map', () => {
    const message = leakFailure(run, 'diagnosis > a Map cache growing per call')
    expect(message).toMatch(group('Map', 'grown, none new', `module ${CATALOGUE} → quoteCache \\(Map\\)`))
    expect(message).toMatch(
      allocated('Map', 'grown, none new', quotes.allocatedIn, CATALOGUE_FILE, 'function leakQuotes('),
    )
  })

  test("objects made by Node (a Timeout) are charged to the user's code that called it; closures are kinds", () => {
    const message = leakFailure(run, 'diagnosis > an interval never cleared')
    const startPolling = 'function startPolling('
    expect(message).toMatch(
      allocated('Timeout', '300 new', intervals.allocatedIn, CATALOGUE_FILE, startPolling),
    )
    expect(message).toMatch(
      allocated('poll()', '300 new', intervals.allocatedIn, CATALOGUE_FILE, startPolling),
    )
  })

  test('Buffers: their contents outside the JS heap are counted, held and placed, with no one-time-fill advice', () => {
    const message = leakFailure(run, 'diagnosis > Buffers kept in a Map')
    const external = `20 new, 200 kB of it external`
    expect(message).toMatch(/JS heap [\d.]+ k?B, external [\d.]+ kB\)/)
    expect(message).toMatch(group('Buffer', external, `module ${CATALOGUE} → chunksByKey \\(Map\\) → Buffer`))
    expect(message).toMatch(
      allocated('Buffer', external, chunks.allocatedIn, CATALOGUE_FILE, 'function cacheChunks('),
    )
    expect(message).not.toMatch(/one-time fill|within the limit/)
  })

  test("memgate's and Vitest's own objects of the re-run are not listed, only summed", () => {
    const message = leakFailure(run, 'diagnosis > a class with a static registry')
    const diagnosis = message.slice(message.indexOf('Leak diagnosis'))
    const listed = [...diagnosis.matchAll(/^ +[\d.]+ k?B {2}(\S+) \(/gm)].map((match) => match[1])
    expect(listed.filter((kind) => !['DbConnection', '(string)', 'Array'].includes(kind ?? ''))).toEqual([])
    expect(message).toMatch(/\n {2}… and \d+ B in \d+ objects of smaller or further kinds\n/)
  })
})

describe('the heap snapshot of the diagnosis run', () => {
  const name = 'diagnosis > a class with a static registry'
  const file = `${root}.memgate/leaks.test.ts/diagnosis_a_class_with_a_static_registry.heapsnapshot`

  test('is written next to the heap profile, named in the message, and opens as a heap snapshot', () => {
    expect(leakFailure(run, name)).toContain(
      '\nHeap snapshot of the end state (Chrome DevTools → Memory → Load): .memgate/leaks.test.ts/diagnosis_a_class_with_a_static_registry.heapsnapshot',
    )
    expect(existsSync(file.replace('.heapsnapshot', '.heapprofile'))).toBe(true)
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
      snapshot: { node_count: number }
      nodes: number[]
    }
    expect(snapshot.snapshot.node_count).toBeGreaterThan(10_000)
    expect(snapshot.nodes.length).toBeGreaterThan(snapshot.snapshot.node_count)
  })

  test('is attached to the test', () => {
    const attached = (annotations.get(name) ?? []).find((a) => a.message.startsWith('heap snapshot'))
    expect(attached).toMatchObject({
      type: 'memgate',
      message:
        "heap snapshot after the leak diagnosis run, for Chrome DevTools' Memory panel: .memgate/leaks.test.ts/diagnosis_a_class_with_a_static_registry.heapsnapshot",
      attachment: { contentType: 'application/json', path: expect.any(String) },
    })
  })

  test('is not taken for a passing test, nor with diagnose: false', () => {
    expect(
      existsSync(
        file.replace('diagnosis_a_class_with_a_static_registry', 'runs_a_one-time_lazy_init_judged_per_run'),
      ),
    ).toBe(false)
    const message = leakFailure(run, 'diagnose: false > a leak, not diagnosed')
    expect(message).not.toContain('Leak diagnosis')
    expect(
      existsSync(
        file.replace('diagnosis_a_class_with_a_static_registry', 'diagnose_false_a_leak_not_diagnosed'),
      ),
    ).toBe(false)
  })
})

describe('runs: one-time growth against growth per run', () => {
  test('a lazy init that fills once passes when judged per run, though its first run grew past the limit', () => {
    const { state, meta } = testNamed(run, 'runs > a one-time lazy init, judged per run')
    expect(state).toBe('passed')
    expect(meta.memgateResult?.leaked).toBeGreaterThan(64_000)
    expect(meta.memgateResult?.leakedPerRun).toBeLessThan(64_000)
  })

  test('judged on its one run, the same init fails, and the diagnosis says the growth looks one-time', () => {
    const message = leakFailure(run, 'runs > a one-time lazy init, judged on its one run')
    expect(message).toMatch(/^Test may leak 64 kB but left [\d.]+ kB reachable after it returned/)
    expect(message).toContain('(no kind of 1 kB or more)')
    expect(message).toContain('looks like a one-time fill')
    expect(message).toContain('Give `runs: 2` or more')
  })

  test('a cache growing on every call fails per run', () => {
    const message = leakFailure(run, 'runs > a cache growing per call, judged per run')
    expect(message).toMatch(
      /^Test may leak 64 kB per run but left [\d.]+ kB reachable per run over runs 2–3 \(JS heap [\d.]+ kB, external 0 B per run; [\d.]+ kB in all; the first run, not judged, left [\d.]+ kB\)/,
    )
    expect(message).toContain(
      'Where the memory still reachable was allocated (all kinds together, sampled over runs 2–3)',
    )
    expect(message).toMatch(
      group('PriceQuote', '1,000 new', `module ${CATALOGUE} → quoteCache \\(Map\\) → PriceQuote`),
    )
    const { leakedPerRun = 0 } =
      testNamed(run, 'runs > a cache growing per call, judged per run').meta.memgateResult ?? {}
    expect(leakedPerRun).toBeGreaterThan(64_000)
  })
})

describe('ignore', () => {
  test.for(['by kind', 'by site'])('a known cache, ignored %s, passes: its growth is taken off', (how) => {
    const { state, meta } = testNamed(run, `ignore > a known cache, ignored ${how}`)
    expect(state).toBe('passed')
    const { leaked = 0, leakedIgnored = 0 } = meta.memgateResult ?? {}
    expect(leaked).toBeGreaterThan(64_000)
    expect(leaked - leakedIgnored).toBeLessThanOrEqual(64_000)
  })

  test('a leak the filter does not match still fails, saying what was taken off', () => {
    const message = leakFailure(run, 'ignore > another leak, not matched by the filter')
    expect(message).toMatch(
      /\n\nIgnored: kinds "Label": 0 B in the diagnosis run\. 0 B is taken off the [\d.]+ [kM]B: [\d.]+ [kM]B judged against the limit of 64 kB\.\n/,
    )
    expect(message).toMatch(
      group(
        'DbConnection',
        '2,000 new',
        `module ${CATALOGUE} → DbConnection\\.open \\(Array\\) → \\[\\d+\\] → DbConnection`,
      ),
    )
  })
})

describe('allocation sites', () => {
  test('diagnose: { sites: false } diagnoses without them, and the failure says how to get them', () => {
    const message = leakFailure(run, 'allocation sites > a leak diagnosed without sites')
    expect(message).toMatch(
      group(
        'OpenSession',
        '1,000 new',
        `module ${CATALOGUE} → openSessions \\(Array\\) → \\[\\d+\\] → OpenSession`,
      ),
    )
    expect(message).not.toContain('allocated at')
    expect(message).toContain(
      '\nAllocation sites per kind were not tracked (`diagnose: { sites: false }`): without that option the ' +
        're-run records where each object is allocated (slower) and every kind above names its site.',
    )
    expect(message).toMatch(/took [\d.]+ m?s\)/)
  })

  test('ignore.sites also drops the groups allocated only at matching sites, and keeps the others', () => {
    const message = leakFailure(
      run,
      'allocation sites > a known cache ignored by site, beside a leak that is not',
    )
    // Label objects and the Map's growth came only from internLabel; the strings from it and from openConnections.
    expect(message).toMatch(
      /\n\nIgnored: sites "internLabel": [\d.]+ kB sampled, [\d.]+ kB in the diagnosis run \((Label, Map|Map, Label), allocated only there\)\. The larger of the [\d.]+ kB sampled and the [\d.]+ kB the diagnosis run left out, [\d.]+ kB, is taken off the [\d.]+ [kM]B: [\d.]+ [kM]B judged against the limit of 64 kB\.\n/,
    )
    const diagnosis = message.slice(message.indexOf('Leak diagnosis'))
    expect(diagnosis).not.toMatch(/ {2}(Label|Map) \(/)
    expect(diagnosis).toMatch(
      allocated('DbConnection', '20,000 new', 'openConnections', TEST_FILE, 'function openConnections('),
    )
    expect(diagnosis).toMatch(
      / {2}\(string\) \(22,000 new\)\n.*\n +allocated at (internLabel|openConnections) /,
    )
  })
})

test('a bad runs or diagnose option fails the file when it is collected, quoting the input', async () => {
  const bad = await runFixture('bad-leak-option')
  expect(bad.tests).toEqual([])
  expect([...bad.moduleErrors].sort()).toEqual([
    'limitLeaks("1 kB", { diagnose: { sites: "no" } }): diagnose must be true, false, or { sites: true | false } (allocation sites tracked or not; by default only for a body under 2 s whose tracked re-run is expected to fit in its timeout).',
    'limitLeaks("1 kB", { runs: 0 }): runs must be a whole number from 1 to 1000 (the times the test body runs).',
  ])
})
