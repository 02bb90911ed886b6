// `pnpm demo` (scripts/demo.mjs at the repository root) after the learner has solved exercise 1 in place: its
// naive run is the frozen copy of the exercise, so it still fails as expected and the demo exits 0. The demo
// runs in a scratch repository — a copy of scripts/demo.mjs beside a scratch copy of this example, the
// packages and node_modules linked — so its runs and reports never touch the learner's folders.
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'
import { SOLVED } from './exercise.js'
import { exampleRoot, type Overlay, removeScratch, scratchCopy } from './scratch.js'

const repository = join(exampleRoot, '../..')
const scratches: string[] = []
afterAll(() => {
  for (const root of scratches) removeScratch(root)
})

/** Runs `node scripts/demo.mjs fibonacci` in a scratch repository whose example has `overlay` applied. */
async function demo(overlay: Overlay): Promise<{ code: number; stdout: string }> {
  const example = scratchCopy(overlay)
  scratches.push(example)
  const top = join(example, '../..')
  mkdirSync(join(top, 'scripts'))
  cpSync(join(repository, 'scripts/demo.mjs'), join(top, 'scripts/demo.mjs'))
  symlinkSync(join(repository, 'packages'), join(top, 'packages'), 'dir')
  symlinkSync(join(repository, 'node_modules'), join(top, 'node_modules'), 'dir')
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/demo.mjs', 'fibonacci'], {
      cwd: top,
    })
    return { code: 0, stdout }
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string }
    return { code, stdout }
  }
}

const TEST = 'summing the first 20,000 Fibonacci numbers stays under 8 MB'

test('with exercise 1 solved in place, `pnpm demo` still shows the exercise as shipped failing', async () => {
  const { code, stdout } = await demo(SOLVED)
  expect(stdout).toContain(
    `✓ naive (as shipped: test/fixtures/unsolved/): ${TEST}\n      failed (expected failed)`,
  )
  expect(stdout).toMatch(/memgate: Test was limited to 8 MB of peak memory but reached \d+(\.\d)? MB/)
  expect(stdout).toContain(`✓ fixed: ${TEST}\n      passed (expected passed)`)
  expect(stdout).toContain('2 of 2 outcomes as expected')
  expect(code).toBe(0)
})

test('negative twin: with the frozen copy solved too, the demo reports the unexpected pass and exits 1', async () => {
  const { code, stdout } = await demo({
    ...SOLVED,
    'test/fixtures/unsolved/src/exercise/fibonacci.ts': 'src/solution/fibonacci.ts',
  })
  expect(stdout).toContain(
    `✗ naive (as shipped: test/fixtures/unsolved/): ${TEST}\n      passed (expected failed)`,
  )
  expect(stdout).toContain('1 of 2 outcomes as expected')
  expect(code).toBe(1)
})
