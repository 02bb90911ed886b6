import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runVitest } from '@memgate/test-utils'
import { afterAll, describe, expect, test } from 'vitest'
import { guidePage, lineMatcher } from './guide-page.js'

// The leak-hunting guide, run: its files (read from the page) in a project inside the docs package, so that
// they import the workspace's built @memgate/vitest, and real Vitest on it. The leak must fail with the
// verdict and the retainer paths the page explains; the fix must pass.

const guide = guidePage('guides/leak-hunting.md')
const root = fileURLToPath(new URL(`.generated/leak-hunting-${process.pid}/`, import.meta.url))

function write(path: string, header = path) {
  mkdirSync(dirname(`${root}${path}`), { recursive: true })
  writeFileSync(`${root}${path}`, guide.file(header))
}

afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('the leak-hunting guide', () => {
  test('the leak fails with the verdict and the retainer paths the guide shows', async () => {
    mkdirSync(root, { recursive: true })
    writeFileSync(`${root}vitest.config.ts`, VITEST_CONFIG)
    write('src/session.ts')
    write('test/checkout.test.ts')
    const run = await runVitest(root)
    const [checkout] = run.tests
    expect(checkout?.state, run.output).toBe('failed')
    // Files are named from where Vitest was started; the guide ran in the project's own folder.
    const message = (checkout?.errors[0]?.message ?? '').replaceAll(`${relative(process.cwd(), root)}/`, '')
    expect(checkout?.errors[0]?.name).toBe('LeakLimitError')
    const shown = guide.output('fail')
    const verdict = shown.find((l) => l.startsWith('LeakLimitError:')) ?? 'no verdict in the guide'
    expect(`LeakLimitError: ${message}`).toMatch(lineMatcher(verdict))
    // The group the fix follows, with its retainer path (the line after it). Other groups' paths may vary
    // from run to run (several chains lead to the same objects; memgate shows one of the shortest).
    const at = shown.findIndex((l) => / Session \(5,000 new\)$/.test(l))
    expect(at, 'the guide shows no Session group').toBeGreaterThan(-1)
    expect(message).toMatch(lineMatcher(shown[at] ?? ''))
    expect(message).toContain((shown[at + 1] ?? '').trim())
    // Where that kind was allocated (the line after): the function and the line of the page's source, up to
    // the byte counts, which vary, of any further sites.
    const site = (shown[at + 2] ?? '').trim().replace(/, .*$/, '')
    expect(site).toMatch(/^allocated at checkout \(src\/session\.ts:\d+\)$/)
    expect(message).toContain(site)
  })

  test('the fix passes', async () => {
    write('src/session.ts', 'src/session.ts (fixed)')
    const run = await runVitest(root)
    expect(
      run.tests.map((t) => t.state),
      run.output,
    ).toEqual(['passed'])
  })
})

// The guide's configuration is Getting started's: the plugin, nothing else.
const VITEST_CONFIG = guidePage('guide/getting-started.md').file('vitest.config.ts')
