import { readFileSync, rmSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestAnnotation } from 'vitest'
import { describe, expect, test } from 'vitest'
import type { Reporter, TestModule } from 'vitest/node'
import { runFixture, testNamed } from './run-fixture.js'

const root = fileURLToPath(new URL('../fixtures/leak-pools/', import.meta.url))
// The fixture's leaks come from the leak catalogue. Modules are named relative to the workers' working folder,
// which is this process's.
const CATALOGUE = relative(
  process.cwd(),
  fileURLToPath(import.meta.resolve('@memgate/test-utils/leak-catalogue')),
).replaceAll('.', '\\.')

/** A group line of the diagnosis and the retainer path under it. */
function group(kind: string, count: string, path: string): RegExp {
  return new RegExp(`\\n +[\\d.]+ k?B {2}${kind} \\(${count}\\)\\n +held by ${path}\\n`)
}

// Each pool runs the same file: a failing leak check there must carry the whole diagnosis, whether the test
// runs in a child process or a worker thread, in Node's own realm or in a vm context of Vitest's.
describe.for([
  { pool: 'forks', thread: false, vm: false },
  { pool: 'threads', thread: true, vm: false },
  { pool: 'vmThreads', thread: true, vm: true },
  { pool: 'vmForks', thread: false, vm: true },
] as const)('in the $pool pool', ({ pool, thread, vm }) => {
  test('a failing limitLeaks shows the kinds, their retainer paths, and attaches the heap snapshot', async () => {
    rmSync(`${root}.memgate`, { recursive: true, force: true })
    const annotations = new Map<string, TestAnnotation[]>()
    const collector: Reporter = {
      onTestRunEnd(modules: ReadonlyArray<TestModule>) {
        for (const module of modules) {
          for (const test of module.children.allTests())
            annotations.set(test.fullName, [...test.annotations()])
        }
      },
    }
    const run = await runFixture('leak-pools', { pool, inline: { reporters: [collector] } })
    expect(testNamed(run, 'reports where it ran').meta).toMatchObject({ thread, vm })

    const registry = testNamed(run, 'a class with a static registry')
    expect(registry.state).toBe('failed')
    expect(registry.errors.map((error) => error.name)).toEqual(['LeakLimitError'])
    const message = registry.errors[0]?.message ?? ''
    expect(message).toMatch(
      /\n\nLeak diagnosis \(the body ran once more under leak tracking; took [\d.]+ m?s\): objects that run made and left reachable after a full GC, by kind, largest first/,
    )
    expect(message).toMatch(
      group(
        'DbConnection',
        '2,000 new',
        `module ${CATALOGUE} → DbConnection\\.open \\(Array\\) → \\[\\d+\\] → DbConnection`,
      ),
    )
    const snapshot = '.memgate/leaks.test.ts/a_class_with_a_static_registry.heapsnapshot'
    expect(message).toContain(
      `\nHeap snapshot of the end state (Chrome DevTools → Memory → Load): ${snapshot}`,
    )
    const written = JSON.parse(readFileSync(`${root}${snapshot}`, 'utf8')) as {
      snapshot: { node_count: number }
    }
    expect(written.snapshot.node_count).toBeGreaterThan(10_000)
    const attached = (annotations.get('a class with a static registry') ?? []).find((a) =>
      a.message.startsWith('heap snapshot'),
    )
    expect(attached).toMatchObject({
      type: 'memgate',
      message: `heap snapshot after the leak diagnosis run, for Chrome DevTools' Memory panel: ${snapshot}`,
      attachment: { contentType: 'application/json', path: expect.any(String) },
    })

    const cache = testNamed(run, 'an unbounded Map cache')
    expect(cache.errors.map((error) => error.name)).toEqual(['LeakLimitError'])
    expect(cache.errors[0]?.message).toMatch(
      group('PriceQuote', '1,000 new', `module ${CATALOGUE} → quoteCache \\(Map\\) → PriceQuote`),
    )
  })
})

// README, "Pools": a diagnosis throws V8's optimized code away, and for seconds after it V8's background compile
// jobs held data already dropped through the next test's baseline, freed during its span: 7 of 60 such ~118 kB
// leaks read under 90 kB, two passed a 64 kB limit. The tracker now lets those jobs finish before it reads.
test('in vmForks, a leak measured right after a diagnosed one is not read low', async () => {
  const run = await runFixture('leak-after-diagnosis', { pool: 'vmForks' })
  expect(run.tests).toHaveLength(15)
  for (const { name, state, errors, meta } of run.tests) {
    expect(state, name).toBe('failed')
    expect(errors[0]?.name, name).toBe('LeakLimitError')
    expect(meta.memgateResult?.leaked, name).toBeGreaterThan(100_000)
  }
})
