import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { memgate } from '../fixtures/report-page.js'

// A TypeScript script long enough that the source map tsx makes of it is large (Node keeps it, as tsx turns
// source maps on), which keeps rows in a module array and sessions in a listener closure.
const HANDLERS = Array.from({ length: 2000 }, (_, i) =>
  [
    `export function handler${i}(input: number): number {`,
    `  const scaled: number = input * ${i + 2}`,
    `  return scaled + ${i}`,
    '}',
  ].join('\n'),
)
const SCRIPT = [
  "import { EventEmitter } from 'node:events'",
  '',
  'class Row {',
  '  constructor(',
  '    readonly id: number,',
  '    readonly label: string,',
  '  ) {}',
  '}',
  'export const registry: Row[] = []',
  'const bus = new EventEmitter()',
  'bus.setMaxListeners(0)',
  '',
  ...HANDLERS,
  '',
  'class Session {',
  '  readonly lines: number[] = new Array(32).fill(0)',
  '}',
  'function open(): void {',
  '  const session = new Session()',
  "  bus.on('tick', function onTick(): number {",
  '    return session.lines.length',
  '  })',
  '}',
  "for (let i = 0; i < 2000; i++) registry.push(new Row(i, 'row ' + i))",
  'for (let i = 0; i < 500; i++) open()',
  "console.log('kept', registry.length)",
].join('\n')
const ON_TICK = SCRIPT.split('\n').findIndex((line) => line.includes('function onTick(')) + 1

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-leaks-ts-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  writeFileSync(join(dir, 'leaky.ts'), SCRIPT)
})

test('memgate leaks on a .ts script: the source maps Node keeps are no kind, and closures have their TS lines', () => {
  const result = memgate(dir, 'leaks', '-o', 'leaky.heapsnapshot', 'leaky.ts')
  expect(result.code, result.stderr).toBe(0)
  expect(result.stdout).toBe('kept 2000\n')
  const report = result.stderr
  // The script's own leaks, with their real holders.
  expect(report).toMatch(
    /\n +[\d.]+ kB {2}Row \(2,000 new\)\n +held by module leaky\.ts → registry \(Array\) → \[\d+\] → Row\n/,
  )
  expect(report).toMatch(
    new RegExp(
      String.raw`\n +[\d.]+ kB {2}Session \(500 new\)\n +held by module leaky\.ts → bus \(EventEmitter\) → _events\.tick \(Array\) → \[\d+\] → closure onTick \(leaky\.ts:${ON_TICK}\) → session \(Session\)\n`,
    ),
  )
  // Node's source map of the script (its `mappings` alone are tens of kB on Node 20; Node 24 keeps a few kB)
  // and its loader's caches are summed apart, on no path.
  expect(report).not.toMatch(/source_map|mappings|ModuleLoader|loadCache|LoadCache/)
  const own = /\n {2}\(not counted: ([\d.]+) kB in [\d,]+ objects Node keeps for itself/.exec(report)
  expect(own, report).not.toBeNull()
  expect(Number(own?.[1])).toBeGreaterThan(0)
})
