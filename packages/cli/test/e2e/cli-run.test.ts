import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'
import { readCapture } from '../../src/capture.js'

const bin = fileURLToPath(new URL('../../dist/main.js', import.meta.url))
let dir: string

/** Runs the built `memgate` command as a user would, in `dir`. */
function memgate(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-cli-'))
  const files: Record<string, string> = {
    'build.mjs': [
      'function buildCatalogue(count) {',
      '  const items = new Array(count)',
      "  for (let i = 0; i < count; i++) items[i] = { id: i, name: 'item ' + i }",
      '  return items',
      '}',
      'globalThis.kept = buildCatalogue(200_000)',
      "console.log('args:', process.argv.slice(2).join(' '))",
    ].join('\n'),
    'typed.ts': [
      'interface Row { id: number }',
      'const rows: Row[] = Array.from({ length: 1000 }, (_, id: number): Row => ({ id }))',
      "console.log('rows', rows.length)",
    ].join('\n'),
    'common.cjs': "const { join } = require('node:path')\nconsole.log('cjs', join('a', 'b'))",
    'throws.mjs': "throw new Error('the script failed')",
    'exits.mjs': "console.log('leaving'); process.exit(3)",
    // A worker thread of the script's own: from Node 22 it runs the run's preload too.
    'threads.mjs': [
      "import { Worker } from 'node:worker_threads'",
      "const worker = new Worker('const rows = Array.from({ length: 1000 }, (_, i) => ({ i }))', { eval: true })",
      "worker.on('exit', (code) => console.log('worker exited', code))",
      'globalThis.kept = Array.from({ length: 50_000 }, (_, i) => ({ i }))',
    ].join('\n'),
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
})

describe('memgate run', () => {
  test("measures the script's main thread once when the script starts a worker thread", () => {
    // On Node 24 the preload once started a helper thread for every helper thread, without end, until the
    // process could make no more threads (exit 128).
    const { code, stdout, stderr } = memgate('run', '-o', 'threads.json', 'threads.mjs')
    expect(code, stderr).toBe(0)
    expect(stdout).toContain('worker exited 0')
    expect(stderr.match(/memgate: wrote /g)).toHaveLength(1)
    const capture = readCapture(join(dir, 'threads.json'))
    expect(capture).toMatchObject({ exitCode: 0, script: 'threads.mjs' })
    // The 50,000 objects the main thread keeps; the worker's rows are not in its heap.
    expect(capture.measurement.leaked).toBeGreaterThan(1e6)
  })

  test('creates the folder of the capture it is told to write', () => {
    const { code, stderr } = memgate('run', '-o', 'captures/nested/common.json', 'common.cjs')
    expect(code, stderr).toBe(0)
    expect(readCapture(join(dir, 'captures', 'nested', 'common.json')).exitCode).toBe(0)
  })

  test('runs an ES module, passes its arguments and output through, and writes a capture', () => {
    const { code, stdout, stderr } = memgate('run', '-o', 'build.json', 'build.mjs', '--flag', 'x')
    expect(code).toBe(0)
    expect(stdout).toContain('args: --flag x')
    expect(stderr).toContain(`memgate: wrote ${join(dir, 'build.json')}`)
    expect(stderr).toContain(`render it with: memgate flamegraph ${join(dir, 'build.json')}`)
    const capture = readCapture(join(dir, 'build.json'))
    expect(capture).toMatchObject({
      format: 'memgate-capture',
      version: 1,
      exitCode: 0,
      args: ['--flag', 'x'],
    })
    expect(capture.measurement.peak).toBeGreaterThan(5e6)
    expect(capture.measurement.leaked).toBeGreaterThan(5e6)
    expect(capture.measurement.allocationSites[0]?.stack[0]).toMatchObject({
      functionName: 'buildCatalogue',
      line: 1,
    })
  })

  test('runs TypeScript and CommonJS scripts', () => {
    expect(memgate('run', '-q', '-o', 'typed.json', 'typed.ts')).toMatchObject({
      code: 0,
      stdout: 'rows 1000\n',
      stderr: '',
    })
    expect(memgate('run', '-q', '-o', 'common.json', 'common.cjs')).toMatchObject({
      code: 0,
      stdout: `cjs ${join('a', 'b')}\n`,
    })
    expect(readCapture(join(dir, 'typed.json')).exitCode).toBe(0)
  })

  test('passes through the exit code of a script that throws or exits, and still writes the capture', () => {
    const thrown = memgate('run', '-o', 'throws.json', 'throws.mjs')
    expect(thrown.code).toBe(1)
    expect(thrown.stderr).toContain('Error: the script failed')
    expect(readCapture(join(dir, 'throws.json')).exitCode).toBe(1)
    const exited = memgate('run', '-o', 'exits.json', 'exits.mjs')
    expect(exited).toMatchObject({ code: 3, stdout: 'leaving\n' })
    expect(exited.stderr).not.toContain('Waiting for the debugger')
    expect(readCapture(join(dir, 'exits.json')).exitCode).toBe(3)
  })

  test('rejects unknown options, bad sizes and missing scripts with exit code 2', () => {
    expect(memgate('run', '--bogus', 'build.mjs')).toMatchObject({
      code: 2,
      stderr: 'memgate: Unknown option --bogus for memgate run. See: memgate run --help\n',
    })
    expect(memgate('run', '--interval', '10', 'build.mjs')).toMatchObject({ code: 2 })
    expect(memgate('run', '--interval', '10', 'build.mjs').stderr).toContain(
      'Invalid memory size "10": it has no unit.',
    )
    expect(memgate('run', 'missing.js')).toMatchObject({
      code: 2,
      stderr: 'memgate: No such script: missing.js. Give the path of a .js or .ts file.\n',
    })
    expect(memgate('run')).toMatchObject({ code: 2 })
    expect(existsSync(join(dir, 'missing.json'))).toBe(false)
  })
})

describe('memgate', () => {
  test('--version prints the package version and --help lists the commands', () => {
    expect(memgate('--version')).toMatchObject({ code: 0, stdout: '0.1.0\n' })
    const help = memgate('--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Memory-limit assertions for Vitest')
    expect(help.stdout).toMatch(/run\s+Run a JavaScript or TypeScript script/)
    expect(help.stdout).toMatch(
      /EXIT CODES\n\n {2}0 {2}the command did what it was asked\n {2}1 {2}an unexpected/,
    )
    const runHelp = memgate('run', '--help').stdout
    expect(runHelp).toContain('memgate run [OPTIONS] <SCRIPT>')
    expect(runHelp).toMatch(/--leaks\s+Sample only what is still held at the end/)
    expect(runHelp).toContain('EXIT CODES')
  })

  test('an unknown command is a usage error', () => {
    expect(memgate('frobnicate')).toMatchObject({
      code: 2,
      stderr: 'memgate: Unknown command frobnicate. See: memgate --help\n',
    })
  })
})
