import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { SourceMap, type SourceMapPayload } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, test } from 'vitest'
import {
  diagnoseLeaks,
  type Frame,
  type LeakDiagnosis,
  type LeakGroup,
  LeakTrackingResetError,
  measure,
  startLeakTracking,
  YOUNG_GENERATION_FLAGS,
} from '../../src/index.js'
import * as leaks from '../cases/leaks/patterns.js'

// Module paths are shown relative to the working folder: the package's when run there, the repository's
// when the whole suite runs from the root.
const FIXTURE = relative(process.cwd(), fileURLToPath(new URL('../cases/leaks/patterns.ts', import.meta.url)))

const PATTERNS_FILE = fileURLToPath(new URL('../cases/leaks/patterns.ts', import.meta.url))
const THIS_FILE = fileURLToPath(import.meta.url)

/** The diagnosis as a compact table, for failure messages. */
function show(diagnosis: LeakDiagnosis): string {
  const site = (g: LeakGroup) =>
    (g.sites ?? [])
      .map((s) => s.stack.map((f) => `${f.functionName} ${f.url}:${f.line}:${f.column}`).join(' < '))
      .join(' | ')
  return diagnosis.groups
    .map((g) => `${g.kind} ×${g.count} ${g.bytes} B  ${g.retainerPath ?? ''}  at ${site(g)}`)
    .join('\n')
}

/** The 1-based line of `file` that starts with `marker` (exactly one does). */
function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, 'utf8').split('\n')
  const found = lines.flatMap((line, at) => (line.trimStart().startsWith(marker) ? [at + 1] : []))
  expect(found, `"${marker}" once in ${file}`).toHaveLength(1)
  return found[0] as number
}

/**
 * A frame's line in the TypeScript source. V8 reports the JavaScript Vitest ran; its module runner keeps the
 * source map, read here with Node's own decoder (not memgate's).
 */
function sourceLine(frame: Frame): { file: string; line: number } {
  const file = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url
  const worker = (globalThis as { __vitest_worker__?: VitestWorker }).__vitest_worker__
  const map = worker?.evaluatedModules?.getModuleSourceMapById(file)?.map
  if (!map) return { file, line: frame.line }
  const entry = new SourceMap(map).findEntry(frame.line - 1, frame.column - 1) as { originalLine?: number }
  return { file, line: (entry.originalLine ?? -2) + 1 }
}
interface VitestWorker {
  evaluatedModules?: { getModuleSourceMapById(id: string): { map: SourceMapPayload } | null | undefined }
}

/**
 * The group's top allocation site (most bytes) is `functionName` in `file`, at the line of `marker` (where
 * that function starts: V8 records the allocating function), and it holds most of the group's bytes.
 */
function expectAllocatedAt(
  diagnosis: LeakDiagnosis,
  kind: string,
  functionName: string,
  file: string,
  marker: string,
) {
  const found = group(diagnosis, kind)
  const [top] = found.sites ?? []
  const frame = top?.stack[0]
  expect(frame, `no allocation site for ${kind} in:\n${show(diagnosis)}`).toBeDefined()
  if (!top || !frame) return
  expect(frame.functionName, show(diagnosis)).toBe(functionName)
  expect(sourceLine(frame), show(diagnosis)).toEqual({ file, line: lineOf(file, marker) })
  expect(top.bytes / found.bytes, show(diagnosis)).toBeGreaterThan(0.5)
}

function group(diagnosis: LeakDiagnosis, kind: string) {
  const found = diagnosis.groups.find((g) => g.kind === kind)
  expect(found, `no group ${kind} in:\n${show(diagnosis)}`).toBeDefined()
  return found as NonNullable<typeof found>
}

/** A leak-free run: nothing above a few hundred bytes is reported. */
function expectClean(diagnosis: LeakDiagnosis) {
  expect(
    diagnosis.groups.filter((g) => g.bytes > 300),
    show(diagnosis),
  ).toEqual([])
  expect(diagnosis.bytes, show(diagnosis)).toBeLessThan(1024)
}

afterEach(() => {
  leaks.clearTimers()
})

// The twins run first, so they run on the very first leak diagnosis of this worker and the first run of
// their code (V8 compiles it then: that must not read as a leak).
describe('leak-free twins report nothing', () => {
  test('a WeakMap cache', async () => {
    expectClean(await diagnoseLeaks(() => leaks.quoteWeak({}, 'sku-1')))
  })

  test('a listener that is removed', async () => {
    expectClean(await diagnoseLeaks(() => leaks.mountView(true)))
  })

  test('an interval that is cleared', async () => {
    expectClean(await diagnoseLeaks(() => leaks.startPolling(true)))
  })

  test('a bounded LRU keeps at most its capacity, however many calls', async () => {
    // Entries it replaced are new objects, and so is the hash table it rehashed into: up to its capacity
    // (10 entries) is reported, bounded rather than growing with the calls.
    for (const calls of [100, 1000]) {
      const diagnosis = await diagnoseLeaks(() => {
        for (let i = 0; i < calls; i++) leaks.quoteLru(`lru-${calls}-${i}`)
      })
      expect(diagnosis.groups.find((g) => g.kind === 'PriceQuote')?.count ?? 0).toBeLessThanOrEqual(10)
      expect(diagnosis.bytes, show(diagnosis)).toBeLessThan(2048)
    }
  })

  test('a one-time lazy init (warm-up run)', async () => {
    expectClean(await diagnoseLeaks(() => leaks.loadCatalogue(), { warmup: 1 }))
  })
})

describe('leaks are grouped by kind, with a retainer path that names the holder', () => {
  test('an array on a module-level object growing per call', async () => {
    const diagnosis = await diagnoseLeaks(() => {
      for (let i = 0; i < 2000; i++) leaks.openSession(i)
    })
    const sessions = group(diagnosis, 'Session')
    expect(sessions.count).toBe(2000)
    expect(diagnosis.groups[0]?.kind, show(diagnosis)).toBe('Session')
    expect(sessions.retainerPath).toMatch(
      new RegExp(`^module ${FIXTURE} → ordersService\\.sessions \\(Array\\) → \\[\\d+\\] → Session$`),
    )
    expectAllocatedAt(diagnosis, 'Session', 'openSession', PATTERNS_FILE, 'export function openSession(')
    leaks.ordersService.sessions.length = 0
  })

  test('an unbounded Map cache', async () => {
    const diagnosis = await diagnoseLeaks(() => {
      for (let i = 0; i < 500; i++) leaks.quote(`map-${i}`)
    })
    const quotes = group(diagnosis, 'PriceQuote')
    expect(quotes.count).toBe(500)
    expect(quotes.retainerPath).toBe(`module ${FIXTURE} → quoteCache (Map) → PriceQuote`)
    expectAllocatedAt(diagnosis, 'PriceQuote', 'quote', PATTERNS_FILE, 'export function quote(')
    leaks.clearQuotes()
  })

  test('a listener added to a long-lived EventEmitter and never removed', async () => {
    const diagnosis = await diagnoseLeaks(() => {
      for (let i = 0; i < 20; i++) leaks.mountView(false)
    })
    const views = group(diagnosis, 'OrderView')
    expect(views.count).toBe(20)
    expect(views.retainerPath).toMatch(
      /appEvents \(EventEmitter\) → _events\.order-updated \(Array\) → \[\d+\] → onOrderUpdated \(closure\) → view \(OrderView\)$/,
    )
    expect(group(diagnosis, 'onOrderUpdated()').count).toBe(20)
    expectAllocatedAt(diagnosis, 'OrderView', 'mountView', PATTERNS_FILE, 'export function mountView(')
    expectAllocatedAt(diagnosis, 'onOrderUpdated()', 'mountView', PATTERNS_FILE, 'export function mountView(')
    leaks.clearViews()
  })

  test('a setInterval whose callback closes over data and is never cleared', async () => {
    const diagnosis = await diagnoseLeaks(() => {
      for (let i = 0; i < 10; i++) leaks.startPolling(false)
    })
    const buffers = group(diagnosis, 'MetricsBuffer')
    expect(buffers.count).toBe(10)
    expect(buffers.retainerPath).toMatch(
      /\(Timeout\) → _onTimeout → poll \(closure\) → metrics \(MetricsBuffer\)$/,
    )
    expect(group(diagnosis, 'Timeout').count).toBe(10)
    expectAllocatedAt(
      diagnosis,
      'MetricsBuffer',
      'startPolling',
      PATTERNS_FILE,
      'export function startPolling(',
    )
    // Node's setInterval made it: the site is the user's code that called it.
    expectAllocatedAt(diagnosis, 'Timeout', 'startPolling', PATTERNS_FILE, 'export function startPolling(')
  })

  test('a class with a static registry', async () => {
    // `new` allocates in the caller: this function.
    const openConnections = () => {
      for (let i = 0; i < 300; i++) new leaks.Connection(`db-${i % 3}`)
    }
    const diagnosis = await diagnoseLeaks(openConnections)
    const connections = group(diagnosis, 'Connection')
    expect(connections.count).toBe(300)
    expect(connections.retainerPath).toMatch(
      new RegExp(`^module ${FIXTURE} → Connection\\.registry \\(Array\\) → \\[\\d+\\] → Connection$`),
    )
    expectAllocatedAt(diagnosis, 'Connection', 'openConnections', THIS_FILE, 'const openConnections = () =>')
    leaks.Connection.registry.length = 0
  })

  test('a closure kept alive by a stored callback', async () => {
    const diagnosis = await diagnoseLeaks(() => {
      for (let i = 0; i < 40; i++) leaks.scheduleRetry()
    })
    expect(group(diagnosis, 'RequestContext').count).toBe(40)
    expect(group(diagnosis, 'RequestContext').retainerPath).toMatch(
      new RegExp(
        `^module ${FIXTURE} → retryCallbacks \\(Array\\) → \\[\\d+\\] → retry \\(closure\\) → context \\(RequestContext\\)$`,
      ),
    )
    expect(group(diagnosis, 'retry()').count).toBe(40)
    expectAllocatedAt(
      diagnosis,
      'RequestContext',
      'scheduleRetry',
      PATTERNS_FILE,
      'export function scheduleRetry(',
    )
    expectAllocatedAt(diagnosis, 'retry()', 'scheduleRetry', PATTERNS_FILE, 'export function scheduleRetry(')
    leaks.clearRetries()
  })
})

describe('options', () => {
  test('ignore leaves out groups by kind or by predicate, and the snapshot can be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-leaks-'))
    try {
      const tracking = await startLeakTracking()
      for (let i = 0; i < 100; i++) leaks.quote(`ignored-${i}`)
      const byKind = tracking.diagnose({ ignore: ['PriceQuote', /string/] })
      const byPredicate = tracking.diagnose({
        ignore: (g) => g.retainerPath === undefined && g.kind === 'PriceQuote',
        snapshotPath: join(dir, 'end.heapsnapshot'),
      })
      tracking.stop()
      expect(byKind.groups.map((g) => g.kind)).not.toContain('PriceQuote')
      expect(byKind.groups.map((g) => g.kind)).not.toContain('(string)')
      expect(byPredicate.groups.map((g) => g.kind)).not.toContain('PriceQuote')
      expect(byPredicate.snapshotPath).toBe(join(dir, 'end.heapsnapshot'))
      expect(existsSync(join(dir, 'end.heapsnapshot'))).toBe(true)
      expect(byKind.durationMs).toBeGreaterThan(0)
    } finally {
      leaks.clearQuotes()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('trackAllocations: false leaves the sites out (and says so); the kinds are found the same', async () => {
    const untracked = await diagnoseLeaks(
      () => {
        for (let i = 0; i < 300; i++) leaks.openSession(i)
      },
      { trackAllocations: false },
    )
    leaks.ordersService.sessions.length = 0
    expect(untracked.sitesTracked).toBe(false)
    expect(group(untracked, 'Session').count).toBe(300)
    expect(untracked.groups.every((g) => g.sites === undefined)).toBe(true)
    const tracked = await diagnoseLeaks(() => {
      for (let i = 0; i < 300; i++) leaks.openSession(i)
    })
    leaks.ordersService.sessions.length = 0
    expect(tracked.sitesTracked).toBe(true)
    expect(group(tracked, 'Session').sites?.[0]?.stack[0]?.functionName).toBe('openSession')
  })

  test('code made hot by earlier runs still charges each function its own allocations', async () => {
    // Hot, the loop is optimized with openSession (and Session) inlined into it: V8's tracker would then see
    // only the loop's frame. The tracked span starts from deoptimized code and TurboFan does not inline in it.
    const openMany = () => {
      for (let i = 0; i < 2000; i++) leaks.openSession(i)
    }
    for (let run = 0; run < 20; run++) {
      openMany()
      leaks.ordersService.sessions.length = 0
    }
    const diagnosis = await diagnoseLeaks(openMany)
    leaks.ordersService.sessions.length = 0
    expectAllocatedAt(diagnosis, 'Session', 'openSession', PATTERNS_FILE, 'export function openSession(')
    const sessions = group(diagnosis, 'Session')
    expect(sessions.sites?.[0]?.bytes, show(diagnosis)).toBe(sessions.bytes)
  })

  test('an async body that churns the heap for a second still has every leaked object at its site', async () => {
    // While the event loop turns, V8 gives every live object an id every 50 ms, and its allocation tracker
    // loses the stack of an object with an id that a full GC then moves. Objects that live a while and die
    // (the ring) fragment the old generation, so that full GCs would compact it: without memgate keeping them
    // from it, 5 to 70 percent of these orders read no site, or another allocation's.
    class Order {
      constructor(
        readonly id: number,
        readonly lines = [id, id + 1],
      ) {}
    }
    const kept: Order[] = []
    const ring: unknown[] = new Array(20_000)
    let at = 0
    const leakOne = (id: number) => {
      kept.push(new Order(id))
    }
    const diagnosis = await diagnoseLeaks(
      async () => {
        for (let id = 0; id < 1000; id++) {
          leakOne(id)
          for (let j = 0; j < 50; j++) {
            ring[at] = { id, j, pad: [j, j] }
            at = (at + 1) % ring.length
          }
          if (id % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
        }
      },
      { sites: { limit: Number.POSITIVE_INFINITY } },
    )
    const orders = group(diagnosis, 'Order')
    expect(orders.count).toBe(1000)
    const sited = (orders.sites ?? []).reduce((sum, site) => sum + site.bytes, 0)
    expect(sited, show(diagnosis)).toBe(orders.bytes)
    expect(new Set(orders.sites?.map((site) => site.stack[0]?.functionName))).toEqual(new Set(['leakOne']))
    expect(kept).toHaveLength(1000)
  })

  test('an ignore predicate sees every allocation site of a group, and sites keeps the top ones', async () => {
    const seen: string[][] = []
    const diagnosis = await diagnoseLeaks(
      () => {
        for (let i = 0; i < 100; i++) leaks.quote(`site-${i}`)
        for (let i = 0; i < 100; i++) leaks.openSession(i)
      },
      {
        ignore: (g) => {
          const names = (g.sites ?? []).map((site) => site.stack[0]?.functionName ?? '')
          seen.push(names)
          return names.length > 0 && names.every((name) => name === 'quote')
        },
        sites: { limit: 1, frames: 2 },
      },
    )
    leaks.clearQuotes()
    leaks.ordersService.sessions.length = 0
    expect(diagnosis.groups.map((g) => g.kind)).not.toContain('PriceQuote')
    expect(diagnosis.ignored.kinds).toContain('PriceQuote')
    expect(diagnosis.ignored.groups.map((g) => g.kind)).toContain('PriceQuote')
    const sessions = group(diagnosis, 'Session')
    expect(sessions.sites).toHaveLength(1)
    expect(sessions.sites?.[0]?.stack.length).toBeLessThanOrEqual(2)
    // The strings were made in two places (template literals in the test and in Session): both were seen.
    expect(seen.some((names) => names.length >= 2)).toBe(true)
  })

  test('arrays are weighed with their elements, not only their 32-byte headers', async () => {
    const held: number[][] = []
    const diagnosis = await diagnoseLeaks(() => {
      for (let i = 0; i < 20; i++) held.push(Array.from({ length: 100_000 }, (_, j) => j + 0.5))
    })
    const arrays = group(diagnosis, 'Array')
    expect(arrays.count).toBeGreaterThanOrEqual(20)
    expect(arrays.bytes).toBeGreaterThan(20 * 800_000)
    expect(held).toHaveLength(20)
  })

  test('another inspector session closing mid-span makes diagnose() throw instead of guessing', async () => {
    // measure() opens and closes its own session (the sampling profiler); V8 then forgets its object ids.
    const tracking = await startLeakTracking()
    try {
      await measure(() => leaks.openSession(-1))
      expect(() => tracking.diagnose()).toThrow(LeakTrackingResetError)
    } finally {
      tracking.stop()
      leaks.ordersService.sessions.length = 0
    }
  })

  test("mark: 'tracking' (V8's object tracking instead of a first snapshot) finds the same leak", async () => {
    const diagnosis = await diagnoseLeaks(
      () => {
        for (let i = 0; i < 300; i++) leaks.openSession(i)
      },
      { mark: 'tracking' },
    )
    expect(group(diagnosis, 'Session').count).toBe(300)
    leaks.ordersService.sessions.length = 0
  })

  test('an async function: its leak is found, and memgate adds nothing of its own above noise', async () => {
    const tick = () => new Promise((resolve) => setImmediate(resolve))
    const leaky = await diagnoseLeaks(async () => {
      for (let i = 0; i < 50; i++) {
        await tick()
        new leaks.Connection(`async-${i}`)
      }
    })
    expect(group(leaky, 'Connection').count).toBe(50)
    leaks.Connection.registry.length = 0
    expectClean(
      await diagnoseLeaks(async () => {
        for (let i = 0; i < 50; i++) await tick()
      }),
    )
  })
})

// The mark forces no GC of its own; the first `collectGarbage()` of a thread makes V8's `gc()` in a new
// context (a realm of builtins, ~56 kB), which must not read as the body's leak: a fresh process, where this
// is the first.
test('a body that forces the first full GC of its thread reports nothing of the context V8 makes for it', async () => {
  const dist = new URL('../../dist/index.js', import.meta.url).href
  const script = [
    `import { collectGarbage, diagnoseLeaks } from ${JSON.stringify(dist)}`,
    'const diagnosis = await diagnoseLeaks(() => collectGarbage())',
    "const groups = diagnosis.groups.map((group) => group.kind + ' ' + group.bytes + ' B')",
    'console.log(JSON.stringify({ bytes: diagnosis.bytes, groups }))',
  ].join('\n')
  const { stdout } = await promisify(execFile)(process.execPath, [
    ...YOUNG_GENERATION_FLAGS,
    '--input-type=module',
    '-e',
    script,
  ])
  const { bytes, groups } = JSON.parse(stdout) as { bytes: number; groups: string[] }
  expect(bytes, groups.join(', ')).toBeLessThan(1024)
}, 60_000)
