import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { SourceMap, type SourceMapPayload } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { DbConnection, leakPatternOfKind } from '@memgate/test-utils/leak-catalogue'
import { describe, expect, test } from 'vitest'
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

// The kinds, holders and sites of each leak pattern are shown by the catalogue's own test
// (leaks-catalogue.test.ts); here, the options and the edges of a diagnosis, on some of its patterns.
const CATALOGUE_FILE = fileURLToPath(new URL('../../../test-utils/src/leak-catalogue.ts', import.meta.url))

const sessions = leakPatternOfKind('OpenSession')
const quotes = leakPatternOfKind('PriceQuote')

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

describe('options', () => {
  test('ignore leaves out groups by kind or by predicate, and the snapshot can be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-leaks-'))
    try {
      const tracking = await startLeakTracking()
      quotes.leak()
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
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('warmup: a one-time lazy init filled by a run before tracking is not reported', async () => {
    let catalogue: { sku: string }[] | undefined
    const load = () => {
      catalogue ??= Array.from({ length: 200 }, (_, i) => ({ sku: `sku-${i}` }))
      return catalogue
    }
    expectClean(await diagnoseLeaks(load, { warmup: 1 }))
    expect(catalogue).toHaveLength(200)
  })

  test('trackAllocations: false leaves the sites out (and says so); the kinds are found the same', async () => {
    const untracked = await diagnoseLeaks(sessions.leak, { trackAllocations: false })
    expect(untracked.sitesTracked).toBe(false)
    expect(group(untracked, 'OpenSession').count).toBe(1000)
    expect(untracked.groups.every((g) => g.sites === undefined)).toBe(true)
    const tracked = await diagnoseLeaks(sessions.leak)
    expect(tracked.sitesTracked).toBe(true)
    expect(group(tracked, 'OpenSession').count).toBe(1000)
    expect(group(tracked, 'OpenSession').sites?.[0]?.stack[0]?.functionName).toBe(sessions.allocatedIn)
  })

  test('code made hot by earlier runs still charges each function its own allocations', async () => {
    // Hot, the loop is optimized with the catalogue's leakSessions (and OpenSession) inlined into it: V8's
    // tracker would then see only the loop's frame. The tracked span starts from deoptimized code and
    // TurboFan does not inline in it.
    const openMany = () => {
      for (let i = 0; i < 4; i++) sessions.leak()
    }
    for (let run = 0; run < 20; run++) openMany()
    const diagnosis = await diagnoseLeaks(openMany)
    expectAllocatedAt(diagnosis, 'OpenSession', 'leakSessions', CATALOGUE_FILE, 'function leakSessions(')
    const opened = group(diagnosis, 'OpenSession')
    expect(opened.count).toBe(4000)
    expect(opened.sites?.[0]?.bytes, show(diagnosis)).toBe(opened.bytes)
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
    // ~4 s on an idle machine: each 50 ms update is a full GC and a heap walk; 10 times that under CI's load.
  }, 120_000)

  test('an ignore predicate sees every allocation site of a group, and sites keeps the top ones', async () => {
    const seen: string[][] = []
    const labels: string[] = []
    const diagnosis = await diagnoseLeaks(
      () => {
        quotes.leak()
        sessions.leak()
        for (let i = 0; i < 100; i++) labels.push(`label-${i}`)
      },
      {
        ignore: (g) => {
          const names = (g.sites ?? []).map((site) => site.stack[0]?.functionName ?? '')
          seen.push(names)
          return names.length > 0 && names.every((name) => name === quotes.allocatedIn)
        },
        sites: { limit: 1, frames: 2 },
      },
    )
    expect(labels).toHaveLength(100)
    expect(diagnosis.groups.map((g) => g.kind)).not.toContain('PriceQuote')
    expect(diagnosis.ignored.kinds).toContain('PriceQuote')
    expect(diagnosis.ignored.groups.map((g) => g.kind)).toContain('PriceQuote')
    const opened = group(diagnosis, 'OpenSession')
    expect(opened.sites).toHaveLength(1)
    expect(opened.sites?.[0]?.stack.length).toBeLessThanOrEqual(2)
    // The strings were made in two places (the quotes' keys and the labels in this test): both were seen.
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
      await measure(() => new DbConnection('measured'))
      expect(() => tracking.diagnose()).toThrow(LeakTrackingResetError)
    } finally {
      tracking.stop()
      DbConnection.open.length = 0
    }
  })

  test("mark: 'tracking' (V8's object tracking instead of a first snapshot) finds the same leak", async () => {
    const diagnosis = await diagnoseLeaks(sessions.leak, { mark: 'tracking' })
    expect(group(diagnosis, 'OpenSession').count).toBe(1000)
  })

  test('an async function: its leak is found, and memgate adds nothing of its own above noise', async () => {
    const tick = () => new Promise((resolve) => setImmediate(resolve))
    const leaky = await diagnoseLeaks(async () => {
      for (let i = 0; i < 50; i++) {
        await tick()
        new DbConnection(`async-${i}`)
      }
    })
    expect(group(leaky, 'DbConnection').count).toBe(50)
    DbConnection.open.length = 0
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

describe("Node's own machinery", () => {
  test('the Buffer pool Node starts during the body is not reported; a slice the body keeps is', async () => {
    const poolSize = Buffer.poolSize
    // Larger than any group of noise, so that a reported pool cannot hide among them.
    Buffer.poolSize = 256 * 1024
    const keep: Buffer[] = []
    try {
      const fill = () => {
        for (let i = 0; i < 2000; i++) Buffer.from(`${i}`.padEnd(300, '.'))
      }
      const clean = await diagnoseLeaks(fill, { warmup: 1 })
      expect(
        clean.groups.filter((g) => g.externalBytes > 1024),
        show(clean),
      ).toEqual([])
      const kept = await diagnoseLeaks(() => {
        fill()
        keep.push(Buffer.from('one small Buffer, kept'))
      })
      const buffer = kept.groups.find((g) => g.externalBytes > 1024)
      expect(buffer?.retainerPath, show(kept)).toMatch(/keep/)
    } finally {
      Buffer.poolSize = poolSize
    }
  })

  test('what only FinalizationRegistry callbacks drop is not reported after an async body', async () => {
    const dropped: (object | undefined)[] = new Array(2000).fill(undefined)
    const second = new FinalizationRegistry<{ held: number }>(() => {})
    const first = new FinalizationRegistry<number>((slot) => {
      dropped[slot] = undefined
    })
    const chains = async () => {
      for (let i = 0; i < dropped.length; i++) {
        const inner = {}
        dropped[i] = inner
        second.register(inner, { held: i })
        first.register({}, i)
      }
    }
    const diagnosis = await diagnoseLeaks(chains, { warmup: 1 })
    expect(dropped.every((slot) => slot === undefined)).toBe(true)
    expectClean(diagnosis)
  })
})
