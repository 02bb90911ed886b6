import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixtureRoot, readBaselineFile, runGated, runNode } from './gate-helpers.js'

// test/fixtures/gate-basic, each case with its own baseline file (MEMGATE_BASELINE).
const root = fixtureRoot('gate-basic')
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-gate-baseline-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const BROKEN = `{
  "version": 1,
  "tests": {
    "gate.test.ts > holds 10 MB": { "peak": 10000000, "leaked": 0 },
    "gate.test.ts > holds a little": { "peak": 50000 "leaked": 0 }
  }
}
`

describe('the baseline file', () => {
  test('missing, it is a notice and no test is gated', async () => {
    const baseline = join(dir, 'none', 'memgate.baseline.json')
    const run = await runGated('gate-basic', {
      MEMGATE_BASELINE: baseline,
      GATE_OUTPUT_DIR: join(dir, 'out-none'),
    })
    expect(run.tests.every((t) => t.state === 'passed')).toBe(true)
    expect(run.output).toContain(
      `memgate gate: no baseline at ${baseline}, so 5 measured tests were not gated. Write one: MEMGATE_UPDATE=1 vitest run`,
    )
    expect(existsSync(baseline)).toBe(false)
  })

  // What parseBaseline accepts and each error it gives: test/unit/baseline-parse.test.ts. This is the wiring,
  // in one run: the error stops Vitest, and not even an update run replaces the file (the fix is the user's).
  test('not valid JSON, Vitest stops with an error naming the file, line and column; it is never overwritten', async () => {
    const baseline = join(dir, 'broken.json')
    writeFileSync(baseline, BROKEN)
    await expect(
      runGated('gate-basic', { MEMGATE_BASELINE: baseline, MEMGATE_UPDATE: '1' }),
    ).rejects.toMatchObject({
      message: expect.stringContaining(`memgate: cannot read the baseline ${baseline}:5:54: not valid JSON`),
      code: 'MEMGATE_BAD_BASELINE',
      line: 5,
      column: 54,
    })
    expect(readFileSync(baseline, 'utf8')).toBe(BROKEN)
  })

  test('a write that crashes before it completes leaves the old file as it was', async () => {
    const folder = join(dir, 'crash')
    const baseline = join(folder, 'memgate.baseline.json')
    await runGated('gate-basic', {
      MEMGATE_BASELINE: baseline,
      MEMGATE_UPDATE: '1',
      GATE_OUTPUT_DIR: join(dir, 'o'),
    })
    const old = readFileSync(baseline, 'utf8')
    // A real update run of the Vitest CLI, killed (SIGKILL, as by the OOM killer) once the new content is written
    // and flushed, just before the rename that would put it in place.
    const script = `
      import fs from 'node:fs'
      import { syncBuiltinESMExports } from 'node:module'
      const rename = fs.renameSync
      fs.renameSync = (from, to) => {
        if (to === process.env.MEMGATE_BASELINE) process.kill(process.pid, 'SIGKILL')
        return rename(from, to)
      }
      syncBuiltinESMExports()
      const { startVitest } = await import('vitest/node')
      await startVitest('test', [], { watch: false })
    `
    const crashed = await runNode(['--input-type=module', '-e', script], root, {
      MEMGATE_BASELINE: baseline,
      MEMGATE_UPDATE: 'all',
      GATE_ROWS_MB: '20',
      GATE_OUTPUT_DIR: join(dir, 'o'),
    })
    expect(crashed.signal).toBe('SIGKILL')
    expect(crashed.stdout).toContain('6 passed')
    expect(readFileSync(baseline, 'utf8')).toBe(old)
    // The new content had been written in full, next to it: the crash came between the write and the rename.
    const temps = readdirSync(folder).filter((name) => name !== 'memgate.baseline.json')
    expect(temps).toHaveLength(1)
    expect(temps[0]).toMatch(/^\.memgate\.baseline\.json\.\d+\.tmp$/)
    const written = readBaselineFile(join(folder, temps[0] ?? ''))
    expect(written.tests['gate.test.ts > holds 10 MB']?.peak).toBeGreaterThan(20_000_000)
    // The old file still gates the next run.
    const run = await runGated('gate-basic', { MEMGATE_BASELINE: baseline, GATE_OUTPUT_DIR: join(dir, 'o') })
    expect(run.tests.every((t) => t.state === 'passed')).toBe(true)
  })
})
