import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Summary } from '@memgate/core/internal'
import type { TestAnnotation } from 'vitest'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Reporter, TestModule } from 'vitest/node'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

const root = fileURLToPath(new URL('../fixtures/long-names/', import.meta.url))
const output = join(root, '.memgate')
const cli = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url))
const annotations = new Map<string, TestAnnotation[]>()

const suite = `a suite describing ${'a very long scenario of an order service under load, '.repeat(3)}`
const shared = `over its limit after ${'allocating a long list of rows for a report, '.repeat(6)}`
const dropping = `${suite} > ${shared}then dropping them`
const keeping = `${suite} > ${shared}then keeping them`
const leaking = `${suite} > fuit en gardant ${'chaque réponse déjà envoyée à un client pressé, '.repeat(6)}et 測試的名字很長`

const collector: Reporter = {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    for (const module of modules) {
      for (const test of module.children.allTests()) annotations.set(test.fullName, [...test.annotations()])
    }
  },
}

/** Every file under `dir`, by path. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

let run: FixtureRun
let summary: Summary
beforeAll(async () => {
  rmSync(output, { recursive: true, force: true })
  rmSync(join(root, '.vitest-attachments'), { recursive: true, force: true })
  run = await runFixture('long-names', { inline: { reporters: [collector] } })
  summary = JSON.parse(readFileSync(join(output, 'summary.json'), 'utf8'))
}, 180_000)

const entryOf = (name: string) => summary.tests.find((entry) => entry.name === name)

describe('tests whose names are longer than a file name may be', () => {
  test('the names are over 255 bytes, one not ASCII', () => {
    for (const name of [dropping, keeping, leaking]) expect(Buffer.byteLength(name)).toBeGreaterThan(400)
    expect(Buffer.byteLength(leaking)).toBeGreaterThan(leaking.length)
  })

  test('fail on their limits alone, not on a file name (ENAMETOOLONG)', () => {
    expect(run.moduleErrors).toEqual([])
    for (const name of [dropping, keeping]) {
      const { state, errors } = testNamed(run, name)
      expect(state, name).toBe('failed')
      expect(errors.map((error) => error.name)).toEqual(['MemoryLimitError'])
    }
    const { state, errors } = testNamed(run, leaking)
    expect(state).toBe('failed')
    expect(errors.map((error) => error.name)).toEqual(['LeakLimitError'])
    // memgate adds to the failure what it could not write or attach: nothing here.
    for (const name of [dropping, keeping, leaking]) {
      const message = testNamed(run, name).errors[0]?.message ?? ''
      expect(message).not.toContain('ENAMETOOLONG')
      expect(message).not.toMatch(/memgate could not/)
    }
    expect(run.output).not.toContain('ENAMETOOLONG')
  })

  test('write their artifacts, each file name within 255 bytes, named in summary.json', () => {
    for (const path of filesUnder(output))
      expect(Buffer.byteLength(basename(path)), path).toBeLessThanOrEqual(255)
    for (const name of [dropping, keeping, leaking]) {
      const profile = join(output, entryOf(name)?.profile ?? '(no profile in summary.json)')
      expect(existsSync(profile), name).toBe(true)
      expect(existsSync(profile.replace(/\.heapprofile$/, '.timeline.json')), name).toBe(true)
    }
    const snapshot = join(output, entryOf(leaking)?.snapshot ?? '(no snapshot in summary.json)')
    expect(existsSync(snapshot)).toBe(true)
    expect(JSON.parse(readFileSync(snapshot, 'utf8'))).toHaveProperty('snapshot.node_count')
  })

  test('two names sharing their first 400 characters keep apart: readable, then a hash', () => {
    const [a, b] = [entryOf(dropping)?.profile ?? '', entryOf(keeping)?.profile ?? '']
    expect(a).not.toBe(b)
    expect(dirname(a)).toBe('long-names.test.ts')
    expect(basename(a)).toMatch(
      /^a_suite_describing_a_very_long_scenario_of_an_order_service.*-[0-9a-f]{8}\.heapprofile$/,
    )
    expect(basename(a).replace(/-[0-9a-f]{8}\.heapprofile$/, '')).toBe(
      basename(b).replace(/-[0-9a-f]{8}\.heapprofile$/, ''),
    )
    expect(basename(entryOf(leaking)?.profile ?? '')).toMatch(/^a_suite_describing_a_very_long/)
  })

  test('are annotated with their artifacts, which Vitest copies under names it can write', () => {
    const expected = [
      [dropping, ['heap profile']],
      [keeping, ['heap profile']],
      [leaking, ['heap profile', 'heap snapshot']],
    ] as const
    for (const [name, kinds] of expected) {
      const attached = annotations.get(name) ?? []
      expect(
        attached.map((annotation) => annotation.message.split(' ').slice(0, 2).join(' ')).sort(),
        name,
      ).toEqual(kinds)
      for (const annotation of attached) {
        expect(annotation).toMatchObject({ type: 'memgate', attachment: { path: expect.any(String) } })
        const copy = annotation.attachment?.path ?? ''
        // Vitest 4 copies attachments into .vitest-attachments, Vitest 5 into .vitest/attachments.
        expect(copy).toMatch(/\.vitest[-/\\]attachments/)
        expect(Buffer.byteLength(basename(copy))).toBeLessThanOrEqual(255)
        expect(existsSync(copy), copy).toBe(true)
        // The message ends with the end of memgate's path: the test's name cut, and its hash.
        expect(annotation.message).toMatch(/-[0-9a-f]{8}\.heap(profile|snapshot)$/)
      }
    }
  })

  test('`memgate report` finds their profiles, also from the names alone (a summary without paths)', () => {
    const summaryPath = join(output, 'summary.json')
    // Older summaries did not name the artifacts: the CLI then derives the path from the test's name.
    const bare = { ...summary, tests: summary.tests.map(({ profile, snapshot, ...entry }) => entry) }
    writeFileSync(summaryPath, JSON.stringify(bare))
    const result = spawnSync(process.execPath, [cli, 'report', output], { encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const index = readFileSync(join(output, 'index.html'), 'utf8')
    expect(index).not.toContain('Its test is not in summary.json')
    for (const name of [dropping, keeping, leaking]) {
      const page = join(output, entryOf(name)?.profile ?? '').replace(/\.heapprofile$/, '.html')
      expect(existsSync(page), name).toBe(true)
    }
  })
})
