import { existsSync, readFileSync, rmSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestAnnotation } from 'vitest'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Reporter, TestModule } from 'vitest/node'
import { type FixtureRun, leakFailure, runFixture, testNamed } from './run-fixture.js'

const root = fileURLToPath(new URL('../fixtures/leak-diagnosis/', import.meta.url))
// Modules are named relative to the workers' working folder, which is this process's.
const FILE = relative(process.cwd(), `${root}patterns.ts`).replaceAll('.', '\\.')
const annotations = new Map<string, TestAnnotation[]>()
const collector: Reporter = {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    for (const module of modules) {
      for (const test of module.children.allTests()) annotations.set(test.fullName, [...test.annotations()])
    }
  },
}

let run: FixtureRun
beforeAll(async () => {
  rmSync(`${root}.memgate`, { recursive: true, force: true })
  run = await runFixture('leak-diagnosis', { inline: { reporters: [collector] } })
}, 600_000)

/** The 1-based line of a fixture file that starts with `marker` (exactly one does). */
function lineOf(file: string, marker: string): number {
  const lines = readFileSync(`${root}${file}`, 'utf8').split('\n')
  const found = lines.flatMap((line, at) => (line.trimStart().startsWith(marker) ? [at + 1] : []))
  expect(found, `"${marker}" once in ${file}`).toHaveLength(1)
  return found[0] as number
}

/**
 * A group line, its retainer path, and the allocation site under it: the function that allocated most of its
 * bytes and the TypeScript line where that function starts (Vitest runs the transformed file, whose lines differ:
 * the fixture starts with type declarations that the transform erases).
 */
function allocated(kind: string, count: string, fn: string, file: string, marker: string): RegExp {
  const literal = (text: string) => text.replace(/[()[\].]/g, '\\$&')
  const site = `${literal(fn)} \\(\\S*${literal(file)}:${lineOf(file, marker)}\\)`
  return new RegExp(
    `\\n +[\\d.]+ [kM]?B {2}${literal(kind)} \\(${count}\\)\\n +held by [^\\n]+\\n +allocated at ${site}(,|\\n)`,
  )
}

/** A group line of the diagnosis and the retainer path under it. */
function group(kind: string, count: string, path: string): RegExp {
  const escaped = kind.replace(/[()]/g, '\\$&')
  return new RegExp(`\\n +[\\d.]+ [kM]?B {2}${escaped} \\(${count}\\)\\n +held by ${path}\\n`)
}

describe('leak-free twins pass on the first run of their code', () => {
  test.for([
    'a WeakMap cache',
    'a bounded LRU',
    'a listener that is removed',
    'an interval that is cleared',
    'a one-time lazy init, judged per run',
  ])('%s', (name) => {
    expect(testNamed(run, `leak-free twins > ${name}`)).toMatchObject({ state: 'passed', errors: [] })
  })
})

describe('a failing leak check shows what leaked, who holds it and where it was allocated', () => {
  const index = '\\[\\d+\\]'
  test('an array on a module-level object growing per call', () => {
    const message = leakFailure(run, 'leaks > an array on a module-level object growing per call')
    // Sampled sites: where an optimizing compiler inlined openSession into the test (Maglev does on Node 24),
    // V8 charges its allocations to the caller, so the user's function is among the sites, not always first.
    const sites = message.slice(0, message.indexOf('\n\nLeak diagnosis'))
    expect(sites).toMatch(/\n\nWhere the memory still reachable was allocated \(all kinds together\):\n/)
    expect(sites).toMatch(/\n +[\d.]+ kB {2}(openSession|Session) \(\S*patterns\.ts:\d+\)/)
    expect(message).toMatch(
      /\n\nLeak diagnosis \(the body ran once more under leak tracking; took [\d.]+ m?s\): objects that run made and left reachable after a full GC, by kind, largest first/,
    )
    expect(message).toMatch(
      group(
        'Session',
        '2,000 new',
        `module ${FILE} → ordersService\\.sessions \\(Array\\) → ${index} → Session`,
      ),
    )
    expect(message).toMatch(
      allocated('Session', '2,000 new', 'openSession', 'patterns.ts', 'export function openSession('),
    )
  })

  test('an unbounded Map cache', () => {
    const message = leakFailure(run, 'leaks > an unbounded Map cache')
    expect(message).toMatch(
      group('PriceQuote', '2,000 new', `module ${FILE} → quoteCache \\(Map\\) → PriceQuote`),
    )
    // The Map's own hash table grew: the holder, with no new Map.
    expect(message).toMatch(group('Map', 'grown, none new', `module ${FILE} → quoteCache \\(Map\\)`))
    expect(message).toMatch(
      allocated('PriceQuote', '2,000 new', 'quote', 'patterns.ts', 'export function quote('),
    )
    expect(message).toMatch(
      allocated('Map', 'grown, none new', 'quote', 'patterns.ts', 'export function quote('),
    )
  })

  test('a listener added to a long-lived EventEmitter and never removed', () => {
    const message = leakFailure(run, 'leaks > a listener never removed')
    const listener = `module ${FILE} → appEvents \\(EventEmitter\\) → _events\\.order-updated \\(Array\\) → ${index} → onOrderUpdated \\(closure\\)`
    expect(message).toMatch(group('onOrderUpdated()', '1,000 new', listener))
    expect(message).toMatch(group('OrderView', '1,000 new', `${listener} → view \\(OrderView\\)`))
    const mountView = 'export function mountView('
    expect(message).toMatch(allocated('onOrderUpdated()', '1,000 new', 'mountView', 'patterns.ts', mountView))
    expect(message).toMatch(allocated('OrderView', '1,000 new', 'mountView', 'patterns.ts', mountView))
  })

  test('a setInterval whose callback closes over data and is never cleared', () => {
    const message = leakFailure(run, 'leaks > an interval never cleared')
    const timer = `module ${FILE} → timers \\(Array\\) → ${index}`
    // Node's own timer list holds each Timeout by as short a chain: the user's array is the holder shown.
    expect(message).toMatch(group('Timeout', '500 new', `${timer} → Timeout`))
    expect(message).toMatch(
      group(
        'MetricsBuffer',
        '500 new',
        `${timer} \\(Timeout\\) → _onTimeout → poll \\(closure\\) → metrics \\(MetricsBuffer\\)`,
      ),
    )
    // Node's setInterval made the Timeout: the site is the user's code that called it.
    const startPolling = 'export function startPolling('
    expect(message).toMatch(allocated('Timeout', '500 new', 'startPolling', 'patterns.ts', startPolling))
    expect(message).toMatch(
      allocated('MetricsBuffer', '500 new', 'startPolling', 'patterns.ts', startPolling),
    )
  })

  test('a class with a static registry', () => {
    const message = leakFailure(run, 'leaks > a class with a static registry')
    expect(message).toMatch(
      group(
        'Connection',
        '2,000 new',
        `module ${FILE} → Connection\\.registry \\(Array\\) → ${index} → Connection`,
      ),
    )
    // `new` allocates in its caller: the test's own function, a line of the test file.
    expect(message).toMatch(
      allocated(
        'Connection',
        '2,000 new',
        '(anonymous)',
        'leaks.test.ts',
        "test('a class with a static registry'",
      ),
    )
  })

  test('Buffers: their contents outside the JS heap are counted, held and placed, with no one-time-fill advice', () => {
    const upload = leakFailure(run, 'leaks > a Buffer kept in a module array')
    const external = (count: string, size: string) => `${count}, ${size} of it external`
    expect(upload).toMatch(/JS heap [\d.]+ k?B, external [\d.]+ MB/)
    expect(upload).toMatch(
      group('Buffer', external('1 new', '5 MB'), `module ${FILE} → uploads \\(Array\\) → ${index} → Buffer`),
    )
    expect(upload).toMatch(
      allocated(
        'Buffer',
        external('1 new', '5 MB'),
        'keepUpload',
        'patterns.ts',
        'export function keepUpload(',
      ),
    )
    expect(upload).not.toMatch(/one-time fill|within the limit/)
    const chunks = leakFailure(run, 'leaks > Buffers kept in a Map')
    expect(chunks).toMatch(
      group('Buffer', external('20 new', '2 MB'), `module ${FILE} → chunksByKey \\(Map\\) → Buffer`),
    )
    expect(chunks).toMatch(
      allocated(
        'Buffer',
        external('20 new', '2 MB'),
        'cacheChunk',
        'patterns.ts',
        'export function cacheChunk(',
      ),
    )
    expect(chunks).not.toMatch(/one-time fill|within the limit/)
  })

  test('a closure kept alive by a stored callback', () => {
    const message = leakFailure(run, 'leaks > a closure kept alive by a stored callback')
    const callback = `module ${FILE} → retryCallbacks \\(Array\\) → ${index} → retry \\(closure\\)`
    expect(message).toMatch(group('retry()', '1,000 new', callback))
    expect(message).toMatch(
      group('RequestContext', '1,000 new', `${callback} → context \\(RequestContext\\)`),
    )
    const scheduleRetry = 'export function scheduleRetry('
    expect(message).toMatch(allocated('retry()', '1,000 new', 'scheduleRetry', 'patterns.ts', scheduleRetry))
    expect(message).toMatch(
      allocated('RequestContext', '1,000 new', 'scheduleRetry', 'patterns.ts', scheduleRetry),
    )
  })

  test("memgate's and Vitest's own objects of the re-run are not listed, only summed", () => {
    const message = leakFailure(run, 'leaks > a class with a static registry')
    const diagnosis = message.slice(message.indexOf('Leak diagnosis'))
    const listed = [...diagnosis.matchAll(/^ +[\d.]+ k?B {2}(\S+) \(/gm)].map((match) => match[1])
    expect(listed.filter((kind) => !['Connection', '(string)', 'Array'].includes(kind ?? ''))).toEqual([])
    expect(message).toMatch(/\n {2}… and \d+ B in \d+ objects of smaller or further kinds\n/)
  })
})

describe('the heap snapshot of the diagnosis run', () => {
  const name = 'leaks > a class with a static registry'
  const file = `${root}.memgate/leaks.test.ts/leaks_a_class_with_a_static_registry.heapsnapshot`

  test('is written next to the heap profile, named in the message, and opens as a heap snapshot', () => {
    expect(leakFailure(run, name)).toContain(
      '\nHeap snapshot of the end state (Chrome DevTools → Memory → Load): .memgate/leaks.test.ts/leaks_a_class_with_a_static_registry.heapsnapshot',
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
        "heap snapshot after the leak diagnosis run, for Chrome DevTools' Memory panel: .memgate/leaks.test.ts/leaks_a_class_with_a_static_registry.heapsnapshot",
      attachment: { contentType: 'application/json', path: expect.any(String) },
    })
  })

  test('is not taken for a passing test, nor with diagnose: false', () => {
    expect(
      existsSync(file.replace('leaks_a_class_with_a_static_registry', 'leak-free_twins_a_bounded_LRU')),
    ).toBe(false)
    const message = leakFailure(run, 'diagnose: false > a leak, not diagnosed')
    expect(message).not.toContain('Leak diagnosis')
    expect(
      existsSync(file.replace('leaks_a_class_with_a_static_registry', 'diagnose_false_a_leak_not_diagnosed')),
    ).toBe(false)
  })
})

describe('runs: one-time growth against growth per run', () => {
  test('a lazy init that fills once passes when judged per run, though its first run grew past the limit', () => {
    const { state, meta } = testNamed(run, 'leak-free twins > a one-time lazy init, judged per run')
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
      group('PriceQuote', '2,000 new', `module ${FILE} → quoteCache \\(Map\\) → PriceQuote`),
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
        'Connection',
        '2,000 new',
        `module ${FILE} → Connection\\.registry \\(Array\\) → \\[\\d+\\] → Connection`,
      ),
    )
  })
})

describe('allocation sites', () => {
  test('diagnose: { sites: false } diagnoses without them, and the failure says how to get them', () => {
    const message = leakFailure(run, 'allocation sites > a leak diagnosed without sites')
    expect(message).toMatch(
      group(
        'Session',
        '2,000 new',
        `module ${FILE} → ordersService\\.sessions \\(Array\\) → \\[\\d+\\] → Session`,
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
    // Label objects and the Map's growth came only from internLabel; the strings from it and from Session.
    expect(message).toMatch(
      /\n\nIgnored: sites "internLabel": [\d.]+ kB sampled, [\d.]+ kB in the diagnosis run \((Label, Map|Map, Label), allocated only there\)\. The larger of the [\d.]+ kB sampled and the [\d.]+ kB the diagnosis run left out, [\d.]+ kB, is taken off the [\d.]+ [kM]B: [\d.]+ [kM]B judged against the limit of 64 kB\.\n/,
    )
    const diagnosis = message.slice(message.indexOf('Leak diagnosis'))
    expect(diagnosis).not.toMatch(/ {2}(Label|Map) \(/)
    expect(diagnosis).toMatch(
      allocated('Session', '20,000 new', 'openSession', 'patterns.ts', 'export function openSession('),
    )
    expect(diagnosis).toMatch(/ {2}\(string\) \(22,000 new\)\n.*\n +allocated at (internLabel|Session) /)
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
