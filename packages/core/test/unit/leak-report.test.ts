import { describe, expect, test } from 'vitest'
import type { AllocationSite, Frame, LeakDiagnosis, LeakGroup } from '../../src/index.js'
import { leakGroupLines } from '../../src/internal.js'

const frame = (functionName: string, line: number): Frame => ({
  functionName,
  url: '/app/src/sessions.ts',
  line,
  column: 3,
})
const site = (bytes: number, ...stack: Frame[]): AllocationSite => ({ bytes, stack })

function diagnosisOf(...groups: LeakGroup[]): LeakDiagnosis {
  const bytes = groups.reduce((sum, group) => sum + group.bytes, 0)
  const count = groups.reduce((sum, group) => sum + group.count, 0)
  return {
    groups,
    count,
    bytes,
    externalBytes: 0,
    nodeOwn: { count: 0, bytes: 0 },
    ignored: { count: 0, bytes: 0, kinds: [], groups: [] },
    sitesTracked: true,
    durationMs: 1,
  }
}

const sessionFor = frame('sessionFor', 15)
const describeFrame = (f: Frame) => `${f.functionName} (sessions.ts:${f.line})`

describe('the allocated-at line of a kind', () => {
  test('stacks that share their innermost frame are one site: one function called from five routes', () => {
    const sites = [1, 2, 3, 4, 5].map((route) => site(24_000, sessionFor, frame(`route${route}`, 40 + route)))
    const [line] = leakGroupLines(
      diagnosisOf({ kind: 'DatabaseSession', count: 1875, bytes: 120_000, externalBytes: 0, sites }),
      { describeFrame },
    )
    expect(line).toContain('\n             allocated at sessionFor (sessions.ts:15)')
    expect(line).not.toMatch(/more sites|; /)
  })

  test('the function with most bytes is named, with its share and what the others hold', () => {
    const sites = [
      site(20_000, sessionFor, frame('routeA', 41)),
      site(30_000, frame('loadRows', 60), frame('routeA', 41)),
      site(20_000, sessionFor, frame('routeB', 42)),
      site(5_000, frame('toOrder', 97)),
      site(1_000, frame('cacheKey', 12)),
    ]
    const [one] = leakGroupLines(
      diagnosisOf({ kind: 'Map', count: 100, bytes: 76_000, externalBytes: 0, sites }),
      { describeFrame },
    )
    expect(one).toContain('allocated at sessionFor (sessions.ts:15), 40 kB; 36 kB at 3 more sites')
    const [two] = leakGroupLines(
      diagnosisOf({ kind: 'Map', count: 100, bytes: 70_000, externalBytes: 0, sites: sites.slice(0, 3) }),
      { describeFrame },
    )
    expect(two).toContain(
      'allocated at sessionFor (sessions.ts:15), 40 kB; 30 kB at loadRows (sessions.ts:60)',
    )
  })

  test('a kind none of whose stacks has a shown frame says who allocated it', () => {
    const [line] = leakGroupLines(
      diagnosisOf({ kind: 'Timeout', count: 13, bytes: 1500, externalBytes: 0, sites: [] }),
      { hiddenSites: 'allocated by code a failure does not show' },
    )
    expect(line).toContain('\n             allocated by code a failure does not show')
  })
})

describe('what Node keeps for itself', () => {
  const group: LeakGroup = { kind: 'Row', count: 2000, bytes: 80_000, externalBytes: 0 }
  test('is no kind: one line says how much was left out, when it is worth a line', () => {
    const diagnosis = { ...diagnosisOf(group), nodeOwn: { count: 12, bytes: 290_000 } }
    const lines = leakGroupLines(diagnosis)
    expect(lines.filter((line) => /^ +[\d.]+ k?B {2}/.test(line))).toHaveLength(1)
    expect(lines.at(-1)).toBe(
      '  (not counted: 290 kB in 12 objects Node keeps for itself: its module loader’s caches and the source maps of the modules it loaded)',
    )
    const small = leakGroupLines({ ...diagnosis, nodeOwn: { count: 1, bytes: 300 } })
    expect(small.join('\n')).not.toContain('not counted')
  })
})
