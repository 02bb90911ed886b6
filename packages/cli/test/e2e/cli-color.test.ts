import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'

const bin = fileURLToPath(new URL('../../dist/main.js', import.meta.url))
const ANSI = '\x1b['
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-color-'))
  writeFileSync(
    join(dir, 'env.mjs'),
    'console.log(JSON.stringify({ CI: process.env.CI, NO_COLOR: process.env.NO_COLOR, TERM: process.env.TERM }))',
  )
})

/** The environment of a user's shell with none of the colour variables, then `vars`. */
function shell(vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...vars }
  // Vitest sets TEST in its workers; a CI machine sets CI.
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS', 'CI', 'TEST'])
    if (!(name in vars)) delete env[name]
  return env
}

/** The built `memgate`, its stdout a pipe. */
function piped(args: string[], vars?: Record<string, string>) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: shell(vars) })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** The built `memgate` on a terminal (a pseudo-terminal made by util-linux's `script`). */
function onTerminal(args: string[], vars?: Record<string, string>) {
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`
  const result = spawnSync(
    'script',
    ['-qec', [process.execPath, bin, ...args].map(quote).join(' '), '/dev/null'],
    {
      cwd: dir,
      encoding: 'utf8',
      env: shell(vars),
    },
  )
  if (result.error) throw new Error(`Cannot run script(1) for a terminal: ${result.error.message}`)
  return { code: result.status, output: result.stdout }
}

describe.each([['run', '--help'], ['leaks', '--help'], ['--help']])('memgate %s %s', (...args) => {
  test('writes no colour codes into a pipe', () => {
    const { code, stdout } = piped(args)
    expect(code).toBe(0)
    expect(stdout).toContain('USAGE')
    expect(stdout).not.toContain(ANSI)
  })

  test('colours a terminal, and a pipe when FORCE_COLOR says so (also on CI)', () => {
    expect(onTerminal(args).output).toContain(ANSI)
    expect(piped(args, { FORCE_COLOR: '1' }).stdout).toContain(ANSI)
    expect(piped(args, { FORCE_COLOR: '1', CI: 'true' }).stdout).toContain(ANSI)
  })

  test('writes none when NO_COLOR, FORCE_COLOR=0 or TERM=dumb says so, even on a terminal', () => {
    expect(onTerminal(args, { NO_COLOR: '1' }).output).not.toContain(ANSI)
    expect(onTerminal(args, { FORCE_COLOR: '0' }).output).not.toContain(ANSI)
    expect(onTerminal(args, { TERM: 'dumb' }).output).not.toContain(ANSI)
    expect(piped(args, { NO_COLOR: '1' }).stdout).not.toContain(ANSI)
  })
})

test('the script memgate runs gets the colour variables as the user set them', () => {
  const forced = piped(['run', '-q', '-o', 'env.json', 'env.mjs'], { FORCE_COLOR: '1', CI: 'true' })
  expect(forced).toMatchObject({
    code: 0,
    stdout: `${JSON.stringify({ CI: 'true', TERM: 'xterm-256color' })}\n`,
  })
  const off = piped(['run', '-q', '-o', 'env.json', 'env.mjs'])
  expect(JSON.parse(off.stdout)).toEqual({ TERM: 'xterm-256color' })
})
