import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { profilePathOf } from '../../src/artifacts.js'
import type { IndexData } from '../../src/report/index-types.js'
import { limitText } from '../../src/report/test-page.js'
import type { ReportData } from '../../src/report/types.js'
import { escapeRegExp, memgate, onTerminal } from '../fixtures/report-page.js'
import { syntheticArtifacts } from '../fixtures/synthetic-artifacts.js'

let dir: string

/** The data an index page embeds. */
function indexData(path: string): IndexData {
  const html = readFileSync(path, 'utf8')
  const json = /<script type="application\/json" id="memgate-data">(.*?)<\/script>/s.exec(html)?.[1] ?? ''
  return JSON.parse(json)
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-report-cli-'))
})

describe('memgate report: bad input', () => {
  test('a missing folder, with the way to make one', () => {
    expect(memgate(dir, 'report', 'nowhere')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `memgate: No artifacts folder ${join(dir, 'nowhere')}. Give the folder memgate writes in a Vitest ` +
        'run (its outputDir, default .memgate), or run Vitest with memgate({ summary: true }) to make it.\n',
    })
    // The default folder is .memgate.
    expect(memgate(dir, 'report').stderr).toContain(`No artifacts folder ${join(dir, '.memgate')}.`)
  })

  test('a folder without summary.json says how to write it, and where one is if it is further down', () => {
    mkdirSync(join(dir, 'empty'))
    expect(memgate(dir, 'report', 'empty')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `memgate: No summary.json in ${join(dir, 'empty')}. Write it with memgate({ summary: true }) in ` +
        'vitest.config.ts, then run Vitest: the summary lists the measured tests, with summaryTop (default 10) ' +
        'of them.\n',
    })
    syntheticArtifacts(join(dir, 'runs', 'merged'), { tests: 1, frames: 50 })
    expect(memgate(dir, 'report', 'runs').stderr).toContain(
      `No summary.json in ${join(dir, 'runs')}. Found one in: ${join('runs', 'merged', 'summary.json')}.`,
    )
    expect(existsSync(join(dir, 'empty', 'index.html'))).toBe(false)
  })

  test('a summary.json that is not JSON, or not a memgate summary', () => {
    mkdirSync(join(dir, 'broken'))
    writeFileSync(join(dir, 'broken', 'summary.json'), '{ "measured": ')
    expect(memgate(dir, 'report', 'broken')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`${join(dir, 'broken', 'summary.json')} is not JSON.`),
    })
    writeFileSync(
      join(dir, 'broken', 'summary.json'),
      JSON.stringify({ measured: 1, tests: [{ name: 'x' }] }),
    )
    expect(memgate(dir, 'report', 'broken')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('is not a memgate summary (expected { measured, top, tests:'),
    })
    expect(existsSync(join(dir, 'broken', 'index.html'))).toBe(false)
  })

  test('a summary of another version is refused, one without a version is read as version 1', () => {
    const artifacts = join(dir, 'versions')
    const summary = syntheticArtifacts(artifacts, { tests: 1, frames: 50 })
    const path = join(artifacts, 'summary.json')
    writeFileSync(path, JSON.stringify({ ...summary, version: 2 }))
    expect(memgate(dir, 'report', 'versions')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `memgate: ${path} is a summary of version 2, and this memgate reads version 1. @memgate/cli and ` +
        '@memgate/vitest must be the same release: install the same version of both, then run Vitest again.\n',
    })
    const { version: _, ...unversioned } = summary
    writeFileSync(path, JSON.stringify(unversioned))
    expect(memgate(dir, 'report', 'versions')).toMatchObject({ code: 0 })
  })

  test('an index path that is not an .html file, so no artifact is ever written over', () => {
    const artifacts = join(dir, 'guarded')
    syntheticArtifacts(artifacts, { tests: 1, frames: 50 })
    const before = readFileSync(join(artifacts, 'summary.json'), 'utf8')
    expect(memgate(dir, 'report', 'guarded', '-o', 'guarded/summary.json')).toEqual({
      code: 2,
      stdout: '',
      stderr: `memgate: The index ${join(artifacts, 'summary.json')} must be an .html file. Choose another path with -o.\n`,
    })
    expect(readFileSync(join(artifacts, 'summary.json'), 'utf8')).toBe(before)
  })

  test('is listed in --help with its exit codes', () => {
    expect(memgate(dir, '--help').stdout).toMatch(/report\s+Render an index page for a Vitest run/)
    const help = memgate(dir, 'report', '--help').stdout
    expect(help).toContain('memgate report [OPTIONS] [DIR]')
    expect(help).toMatch(
      /EXIT CODES\n\n {2}0 {2}the index was written[^\n]*\n {2}2 {2}bad input: no such folder/,
    )
  })
})

describe('memgate report: what it links', () => {
  test('links current profiles only; lists stale, unlisted and unreadable ones apart, with why', () => {
    const artifacts = join(dir, 'mixed')
    const summary = syntheticArtifacts(artifacts, { tests: 6, overEvery: 2, frames: 100 })
    const [over, within, broken] = [summary.tests[0], summary.tests[1], summary.tests[2]]
    if (!over || !within || !broken) throw new Error('expected 6 tests')
    // A test within its limits now, whose profile is from when it failed.
    mkdirSync(dirname(profilePathOf(artifacts, within)), { recursive: true })
    writeFileSync(profilePathOf(artifacts, within), readFileSync(profilePathOf(artifacts, over)))
    writeFileSync(profilePathOf(artifacts, broken), '{ not json')
    mkdirSync(join(artifacts, 'old.test.ts'))
    writeFileSync(
      join(artifacts, 'old.test.ts', 'gone.heapprofile'),
      readFileSync(profilePathOf(artifacts, over)),
    )

    const result = memgate(dir, 'report', 'mixed')
    expect(result).toEqual({
      code: 0,
      stdout: `${join(artifacts, 'index.html')}\n`,
      stderr: `memgate: ${profilePathOf(artifacts, broken)} is not JSON: left out of the report.\n`,
    })
    const data = indexData(join(artifacts, 'index.html'))
    expect(data.rows.map((row) => row.name)).toEqual(summary.tests.map((t) => t.name))
    const [first, second, third] = data.rows
    expect(first).toMatchObject({ over: true, verdict: 'over peak', remark: '' })
    expect(first?.page).toMatch(/^src\/module0\.test\.ts\/group_0_handles_case_0\.html$/)
    expect(second).toMatchObject({ over: false, page: '', profile: '' })
    expect(second?.remark).toBe('a heap profile from an earlier run is listed below')
    expect(third).toMatchObject({ page: '', remark: 'its heap profile is not JSON' })
    expect(data.others.map((other) => [other.path, other.remark])).toEqual([
      [join('old.test.ts', 'gone.heapprofile'), 'Its test is not in summary.json.'],
      [
        relative(artifacts, profilePathOf(artifacts, within)),
        'Its test did not fail over a limit in this run: the profile is from an earlier one.',
      ],
    ])
    for (const other of data.others) expect(existsSync(join(artifacts, other.page))).toBe(true)
  })

  test('follows the profile, snapshot and sampling mode that summary.json records', () => {
    const artifacts = join(dir, 'recorded')
    const [entry] = syntheticArtifacts(artifacts, { tests: 1, frames: 50 }).tests
    if (!entry) throw new Error('expected a test')
    // The profile where no naming rule would look for it, and a mode its limits would not suggest.
    mkdirSync(join(artifacts, 'kept'))
    renameSync(profilePathOf(artifacts, entry), join(artifacts, 'kept', 'one.heapprofile'))
    writeFileSync(join(artifacts, 'kept', 'one.heapsnapshot'), '{}')
    const recorded = {
      ...entry,
      profile: join('kept', 'one.heapprofile'),
      snapshot: join('kept', 'one.heapsnapshot'),
      profileKeeps: 'retained',
    }
    writeFileSync(join(artifacts, 'summary.json'), JSON.stringify({ measured: 1, top: 1, tests: [recorded] }))

    expect(memgate(dir, 'report', 'recorded')).toMatchObject({ code: 0, stderr: '' })
    const data = indexData(join(artifacts, 'index.html'))
    expect(data.rows[0]).toMatchObject({
      page: 'kept/one.html',
      profile: 'kept/one.heapprofile',
      snapshot: 'kept/one.heapsnapshot',
      remark: '',
    })
    expect(data.others).toEqual([])
    const page = indexData(join(artifacts, 'kept', 'one.html')) as unknown as ReportData
    expect(page.profiles.allocated).toBeNull()
    expect(page.profiles.retained).not.toBeNull()
  })

  test('-o writes the index elsewhere, its links still reaching the pages and profiles', () => {
    const artifacts = join(dir, 'elsewhere')
    syntheticArtifacts(artifacts, { tests: 2, frames: 50 })
    expect(memgate(dir, 'report', 'elsewhere', '-o', 'site/memory/index.html')).toMatchObject({
      code: 0,
      stdout: `${join(dir, 'site', 'memory', 'index.html')}\n`,
    })
    const data = indexData(join(dir, 'site', 'memory', 'index.html'))
    for (const row of data.rows) {
      expect(row.page.startsWith('../../elsewhere/')).toBe(true)
      expect(existsSync(resolve(dir, 'site', 'memory', decodeURIComponent(row.page)))).toBe(true)
      expect(existsSync(resolve(dir, 'site', 'memory', decodeURIComponent(row.profile)))).toBe(true)
      // And each page links back to this index.
      const page = readFileSync(resolve(dir, 'site', 'memory', decodeURIComponent(row.page)), 'utf8')
      const back = /"back":"([^"]*)"/.exec(page)?.[1] ?? ''
      const pageDir = dirname(resolve(dir, 'site', 'memory', decodeURIComponent(row.page)))
      expect(resolve(pageDir, decodeURIComponent(back))).toBe(join(dir, 'site', 'memory', 'index.html'))
    }
  })

  test('says when summary.json lists only the top tests, and how to list them all', () => {
    const artifacts = join(dir, 'top')
    const summary = syntheticArtifacts(artifacts, { tests: 3, frames: 50 })
    writeFileSync(join(artifacts, 'summary.json'), JSON.stringify({ ...summary, measured: 37, top: 3 }))
    expect(memgate(dir, 'report', 'top')).toMatchObject({ code: 0 })
    expect(indexData(join(artifacts, 'index.html')).note).toBe(
      'The 3 of 37 measured tests with the highest peak, as summary.json lists them. ' +
        'To list them all, set memgate({ summary: true, summaryTop: 37 }).',
    )
  })
})

test('writes limits as the terminal summary does, leak runs included', () => {
  expect(limitText({})).toBe('-')
  expect(limitText({ peak: 5e6 })).toBe('peak 5 MB')
  expect(limitText({ leaks: 64e3, runs: 1 })).toBe('leaks 64 kB')
  expect(limitText({ peak: 5e6, leaks: 64e3, runs: 5 })).toBe('peak 5 MB, leaks 64 kB per run (5 runs)')
})

test('says so when no test was measured', () => {
  const artifacts = join(dir, 'nothing')
  mkdirSync(artifacts)
  writeFileSync(join(artifacts, 'summary.json'), JSON.stringify({ measured: 0, top: 10, tests: [] }))
  expect(memgate(dir, 'report', 'nothing')).toMatchObject({ code: 0, stderr: '' })
  const data = indexData(join(artifacts, 'index.html'))
  expect(data).toMatchObject({ rows: [], others: [] })
  expect(data.note).toBe('No test was measured in this run (memgate does not measure concurrent tests).')
})

describe('memgate report: progress', () => {
  test('shows progress over many profiles on a terminal, and nothing in a pipe', () => {
    const artifacts = join(dir, 'many')
    syntheticArtifacts(artifacts, { tests: 300, frames: 2_000 })
    expect(memgate(dir, 'report', 'many')).toEqual({
      code: 0,
      stdout: `${join(artifacts, 'index.html')}\n`,
      stderr: '',
    })
    const tty = onTerminal(dir, 'report', 'many')
    expect(tty.code).toBe(0)
    // 300 flamegraphs take more than a second (BENCHMARKS.md): the line shows, then is cleared.
    expect(tty.output).toMatch(/^\rmemgate: rendering flamegraphs: \d+ of 300…/)
    expect(tty.output).toMatch(new RegExp(`\\r +\\r${escapeRegExp(artifacts)}`))
    expect(tty.output.trimEnd().split('\r').at(-1)).toBe(join(artifacts, 'index.html'))
  }, 120_000)
})
