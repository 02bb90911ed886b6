import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { memgate } from '../fixtures/report-page.js'

let dir: string

// A script that leaks the classic way: every session it opens stays in a module-level registry, and every
// listener it adds to a long-lived emitter stays there. Line numbers are asserted below.
const LEAKY = [
  "import { EventEmitter } from 'node:events'", // 1
  '', // 2
  'class Session {', // 3
  '  constructor(id: number) {', // 4
  '    this.id = id', // 5
  '    this.rows = new Array(40).fill(id)', // 6
  '  }', // 7
  '  id: number', // 8
  '  rows: number[]', // 9
  '}', // 10
  'const registry = { sessions: [] as Session[] }', // 11
  'const bus = new EventEmitter()', // 12
  'bus.setMaxListeners(0)', // 13
  '', // 14
  'function openSession(id: number): Session {', // 15
  '  const session = new Session(id)', // 16
  '  registry.sessions.push(session)', // 17
  '  bus.on("tick", () => session.id)', // 18
  '  return session', // 19
  '}', // 20
  '', // 21
  'for (let i = 0; i < 3000; i++) openSession(i)', // 22
  "console.log('opened', registry.sessions.length)", // 23
].join('\n')

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-leaks-'))
  // ESM (.mts): a CommonJS module's variables die with it once it has run, so nothing would be left.
  writeFileSync(join(dir, 'leaky.mts'), LEAKY)
  // Keeps nothing: what it makes is dropped before it ends.
  writeFileSync(
    join(dir, 'clean.mjs'),
    'let total = 0\nfor (let i = 0; i < 3000; i++) total += [i, { i }].length\nconsole.log(total)\n',
  )
  writeFileSync(
    join(dir, 'exits.mjs'),
    "globalThis.kept = Array.from({ length: 5000 }, (_, i) => ({ i }))\nconsole.log('leaving')\nprocess.exit(3)\n",
  )
  writeFileSync(
    join(dir, 'throws.mjs'),
    "globalThis.kept = new Map([[1, 'a']])\nthrow new Error('the script failed')\n",
  )
})

/** The report lines of one kind: `  80 kB  Session (3,000 new)` and the lines under it. */
function kindSection(stderr: string, kind: string): string {
  const start = stderr.search(new RegExp(`\\n +[\\d.]+ k?B +${kind} \\(`))
  if (start < 0) return ''
  const rest = stderr.slice(start + 1)
  const end = rest.search(/\n +([\d.]+ k?B +\S|…)/)
  return end < 0 ? rest : rest.slice(0, end)
}

describe('memgate leaks', () => {
  test('names the kinds a script left, who holds them, and writes a snapshot', () => {
    const result = memgate(dir, 'leaks', '-o', 'out/leaky.heapsnapshot', 'leaky.mts')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe('opened 3000\n')
    expect(result.stderr).toMatch(
      /\nmemgate: leaky\.mts left [\d.]+ [kM]B in [\d,]+ objects reachable at its end that were not before it ran \(own size plus new backing stores; diagnosed in [\d.]+ m?s\), by kind, largest first:\n/,
    )
    const sessions = kindSection(result.stderr, 'Session')
    expect(sessions).toMatch(/Session \(3,000 new\)/)
    expect(sessions).toMatch(/held by module leaky\.mts → registry\.sessions \(Array\) → \[\d+\] → Session/)
    // No allocation tracking here; the report says where to get the sites.
    expect(sessions).not.toContain('allocated at')
    expect(result.stderr).toContain('a Vitest test with limitLeaks() names the site of each kind')
    expect(result.stderr).toContain(
      `heap snapshot of the end state (Chrome DevTools → Memory → Load): ${join('out', 'leaky.heapsnapshot')}`,
    )
    const snapshot = JSON.parse(readFileSync(join(dir, 'out', 'leaky.heapsnapshot'), 'utf8'))
    expect(snapshot.snapshot.meta.node_fields).toContain('id')
  })

  test('a binding the module exports is named by its export name', () => {
    // V8 keeps an exported binding in a cell of the module's record, not in a scope: the name comes from the
    // record's table of exports.
    writeFileSync(
      join(dir, 'exported.mjs'),
      [
        'export const registry = []',
        'class Item { constructor(i) { this.i = i } }',
        'for (let i = 0; i < 20000; i++) registry.push(new Item(i))',
      ].join('\n'),
    )
    const result = memgate(dir, 'leaks', '-o', 'exported.heapsnapshot', 'exported.mjs')
    expect(result.code, result.stderr).toBe(0)
    expect(kindSection(result.stderr, 'Item')).toMatch(
      /Item \(20,000 new\)\n +held by module exported\.mjs → registry \(Array\) → \[\d+\] → Item$/,
    )
    expect(kindSection(result.stderr, 'Array')).toMatch(
      /\n +held by module exported\.mjs → registry \(Array\)$/m,
    )
  })

  test('a script that keeps nothing leaves (almost) nothing', () => {
    const result = memgate(dir, 'leaks', '-o', 'clean.heapsnapshot', 'clean.mjs')
    expect(result.code, result.stderr).toBe(0)
    const left = /left ([\d.]+) (k?B) in/.exec(result.stderr)
    expect(left).not.toBeNull()
    const bytes = Number(left?.[1]) * (left?.[2] === 'kB' ? 1000 : 1)
    expect(bytes).toBeLessThan(16_000)
    expect(result.stderr).not.toMatch(/\(3,000 new\)/)
  })

  test('passes the exit code through, after process.exit() and after a throw', () => {
    const exits = memgate(dir, 'leaks', '-o', 'exits.heapsnapshot', 'exits.mjs')
    expect(exits.code).toBe(3)
    expect(exits.stdout).toBe('leaving\n')
    // The 5,000 it kept, and a few of its own module's.
    expect(kindSection(exits.stderr, 'Object')).toMatch(/Object \(5,0\d\d new\)/)
    const throws = memgate(dir, 'leaks', '-o', 'throws.heapsnapshot', 'throws.mjs')
    expect(throws.code).toBe(1)
    expect(throws.stderr).toContain('the script failed')
    expect(throws.stderr).toContain('memgate: throws.mjs left')
  })

  test('a script serving HTTP over loopback is diagnosed once it has closed', () => {
    // The script serves its own requests, then closes: the diagnosis waits for the script's own end.
    writeFileSync(
      join(dir, 'serves.mjs'),
      [
        "import { createServer } from 'node:http'",
        'const seen = []',
        "const server = createServer((request, response) => { seen.push({ url: request.url }); response.end('ok') })",
        "server.listen(0, '127.0.0.1', async () => {",
        '  const { port } = server.address()',
        "  for (let i = 0; i < 50; i++) await fetch('http://127.0.0.1:' + port + '/' + i).then((r) => r.text())",
        "  server.close(() => console.log('served', seen.length))",
        '})',
      ].join('\n'),
    )
    const result = memgate(dir, 'leaks', '-o', 'serves.heapsnapshot', 'serves.mjs')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe('served 50\n')
    expect(result.stderr).toContain('memgate: serves.mjs left')
  })

  test('bad input: an unknown option, a missing script, an output that is not a .heapsnapshot', () => {
    expect(memgate(dir, 'leaks', '--bogus', 'clean.mjs')).toMatchObject({
      code: 2,
      stderr: 'memgate: Unknown option --bogus for memgate leaks. See: memgate leaks --help\n',
    })
    expect(memgate(dir, 'leaks', 'nowhere.mjs')).toMatchObject({
      code: 2,
      stderr: 'memgate: No such script: nowhere.mjs. Give the path of a .js or .ts file.\n',
    })
    const wrong = memgate(dir, 'leaks', '-o', 'end.json', 'clean.mjs')
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/must be a \.heapsnapshot file .* Choose another path with -o\.\n$/)
    expect(existsSync(join(dir, 'end.json'))).toBe(false)
  })

  test('is listed in --help with its exit codes', () => {
    expect(memgate(dir, '--help').stdout).toMatch(
      /leaks\s+Run a JavaScript or TypeScript script and diagnose/,
    )
    const help = memgate(dir, 'leaks', '--help').stdout
    expect(help).toContain('-o, --output')
    expect(help).toMatch(/EXIT CODES\n\n {2}the script’s own exit code/)
  })
})
