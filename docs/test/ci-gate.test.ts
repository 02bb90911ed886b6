import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runVitest } from '@memgate/test-utils'
import { afterAll, describe, expect, test } from 'vitest'
import { guidePage, lineMatcher } from './guide-page.js'

// The CI-gate guide, run: its files (read from the page) in a project inside the docs package, a baseline
// written with MEMGATE_UPDATE=1 as the page shows, a run within it, and the page's later change failing it.

const guide = guidePage('guides/ci-gate.md')
const root = fileURLToPath(new URL(`.generated/ci-gate-${process.pid}/`, import.meta.url))

function write(path: string, header = path) {
  mkdirSync(dirname(`${root}${path}`), { recursive: true })
  writeFileSync(`${root}${path}`, guide.file(header))
}

/** A run with MEMGATE_UPDATE set, as `MEMGATE_UPDATE=1 pnpm vitest run`: the plugin reads it when it starts. */
async function runUpdating() {
  process.env.MEMGATE_UPDATE = '1'
  try {
    return await runVitest(root)
  } finally {
    delete process.env.MEMGATE_UPDATE
  }
}

afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('the CI-gate guide', () => {
  test('MEMGATE_UPDATE=1 writes the baseline the guide shows, and the next run is within it', async () => {
    write('vitest.config.ts')
    write('src/csv.ts')
    write('test/csv.test.ts')
    const update = await runUpdating()
    expect(
      update.tests.map((t) => t.state),
      update.output,
    ).toEqual(['passed'])
    const written = JSON.parse(readFileSync(`${root}memgate.baseline.json`, 'utf8'))
    const shown = JSON.parse(guide.output('baseline').join('\n'))
    expect(Object.keys(written.tests)).toEqual(Object.keys(shown.tests))
    expect(Object.keys(Object.values(written.tests)[0] as object)).toEqual(['peak'])
    expect({ ...written, tests: {} }).toEqual({ ...shown, tests: {} })

    const again = await runVitest(root)
    expect(
      again.tests.map((t) => t.state),
      again.output,
    ).toEqual(['passed'])
    expect(again.output).toMatch(lineMatcher(guide.output('same').at(-1) ?? 'no gate line in the guide'))
  })

  test('the later change fails with the MemoryRegressionError the guide shows', async () => {
    write('src/csv.ts', 'src/csv.ts (a later change)')
    const run = await runVitest(root)
    const [csv] = run.tests
    expect(csv?.state, run.output).toBe('failed')
    expect(csv?.errors[0]?.name).toBe('MemoryRegressionError')
    const shown =
      guide.output('fail').find((l) => l.startsWith('MemoryRegressionError:')) ?? 'none in the guide'
    // The growth's percentage moves with the figures: compare the message with it left out.
    const percent = (line: string) => line.replace(/\+\d+%/, '+N%')
    expect(percent(`MemoryRegressionError: ${csv?.errors[0]?.message}`)).toMatch(lineMatcher(percent(shown)))
  })
})
