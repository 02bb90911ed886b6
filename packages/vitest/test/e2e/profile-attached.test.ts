import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import type { HeapProfile } from '@memgate/core'
import type { TestAnnotation } from 'vitest'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Reporter, TestModule } from 'vitest/node'
import { type FixtureRun, runFixture, testNamed } from './run-fixture.js'

const root = fileURLToPath(new URL('../fixtures/profile/', import.meta.url))
const profile = `${root}.memgate/profile.test.ts/a_suite_over_its_limit.heapprofile`
const annotations = new Map<string, TestAnnotation[]>()

// Annotations are not in the test meta: a reporter reads them from the TestCase, as the UI does.
const collector: Reporter = {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    for (const module of modules) {
      for (const test of module.children.allTests()) annotations.set(test.fullName, [...test.annotations()])
    }
  },
}

const html = `${root}.memgate/html/`

let run: FixtureRun
beforeAll(async () => {
  rmSync(`${root}.memgate`, { recursive: true, force: true })
  run = await runFixture('profile', {
    // Vitest 4's HTML reporter takes the file to write, Vitest 5's the folder.
    inline: { reporters: [collector, ['html', { outputFile: `${html}index.html`, outputDir: html }]] },
  })
})

describe('a test over its limit', () => {
  test("has its heap profile written to the output folder, under the test file's path", () => {
    expect(testNamed(run, 'a suite > over its limit').state).toBe('failed')
    expect(existsSync(profile)).toBe(true)
    const parsed = JSON.parse(readFileSync(profile, 'utf8')) as HeapProfile
    expect(parsed.head.callFrame.functionName).toBe('(root)')
    expect(parsed.samples.length).toBeGreaterThan(0)
    // memgate({ samplingInterval: '256 KiB' }): 30 MB in 1 kB rows gives some 120 samples; V8's default 32 KiB gives ~1,000.
    expect(parsed.samples.length).toBeLessThan(400)
  })

  test('is annotated with the profile attached', () => {
    const [annotation, ...others] = annotations.get('a suite > over its limit') ?? []
    expect(others).toEqual([])
    expect(annotation).toMatchObject({
      type: 'memgate',
      message: expect.stringMatching(
        /^heap profile of the test body, for Chrome DevTools. Memory panel: \.memgate\/profile\.test\.ts\/a_suite_over_its_limit\.heapprofile$/,
      ),
      attachment: { contentType: 'application/json', path: expect.any(String) },
    })
    const copy = annotation?.attachment?.path ?? ''
    expect(JSON.parse(readFileSync(copy, 'utf8'))).toEqual(JSON.parse(readFileSync(profile, 'utf8')))
  })

  test("is in Vitest's HTML report: the annotation in its data, the profile among its attachments", () => {
    expect(existsSync(`${html}index.html`)).toBe(true)
    // The report's data (flatted JSON, gzipped) holds each test's annotations as the UI shows them; Vitest 4
    // writes it beside index.html with the attachments in data/, Vitest 5 in ui/ and attachments/.
    const [meta, attachments] = existsSync(`${html}ui/html.meta.json.gz`)
      ? [`${html}ui/html.meta.json.gz`, `${html}attachments`]
      : [`${html}html.meta.json.gz`, `${html}data`]
    const data = gunzipSync(readFileSync(meta)).toString('utf8')
    expect(data).toContain('heap profile of the test body, for Chrome DevTools')
    expect(data).toContain('a_suite_over_its_limit.heapprofile')
    const copied = readdirSync(attachments).filter((name) => name.includes('a-suite-over-its-limit'))
    expect(copied).toHaveLength(1)
    const body = readFileSync(join(attachments, copied[0] ?? ''), 'utf8')
    expect(JSON.parse(body)).toEqual(JSON.parse(readFileSync(profile, 'utf8')))
  })

  test('a test within its limits gets neither', () => {
    expect(annotations.get('within its limit')).toEqual([])
    expect(existsSync(profile.replace('a_suite_over_its_limit', 'within_its_limit'))).toBe(false)
  })
})
