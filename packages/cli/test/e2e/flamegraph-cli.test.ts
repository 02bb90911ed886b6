import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatSize } from '@memgate/core'
import { beforeAll, describe, expect, test } from 'vitest'
import { formatSize as pageFormatSize } from '../../src/report/browser/format.js'
import { isInternal } from '../../src/report/data.js'
import { escapeRegExp, memgate, onTerminal } from '../fixtures/report-page.js'
import { syntheticCapture } from '../fixtures/synthetic-capture.js'

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-flamegraph-cli-'))
  const capture = syntheticCapture(200)
  capture.command = 'memgate run </script><img src=x onerror=alert(1)>.mjs'
  const head = capture.measurement.profile.head
  head.children[0]?.children.push({
    callFrame: {
      functionName: '</script><script>alert(1)</script>',
      scriptId: '1',
      url: 'file:///a.js',
      lineNumber: 0,
      columnNumber: 0,
    },
    selfSize: 1e6,
    id: 1e6,
    children: [],
  })
  writeFileSync(join(dir, 'run.json'), JSON.stringify(capture))
  writeFileSync(join(dir, 'notes.txt'), 'not a capture')
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ format: 'something-else' }))
  const { measurement, ...rest } = capture
  writeFileSync(
    join(dir, 'no-profile.json'),
    JSON.stringify({ ...rest, measurement: { ...measurement, profile: null } }),
  )
})

describe('memgate flamegraph', () => {
  test('writes one self-contained page next to the capture and prints its path', () => {
    expect(memgate(dir, 'flamegraph', 'run.json')).toEqual({
      code: 0,
      stdout: `${join(dir, 'run.html')}\n`,
      stderr: '',
    })
    const html = readFileSync(join(dir, 'run.html'), 'utf8')
    expect(html).toMatch(/^<!doctype html>/)
    // Nothing loaded from anywhere: no external scripts, styles or images, and a policy that forbids them.
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link\s/i)
    expect(new Set(html.match(/https?:\/\/[^\s'"`]*/g))).toEqual(new Set(['http://www.w3.org/2000/svg']))
    expect(html).toContain("default-src 'none'")
  })

  test('writes where -o says, creating the folder', () => {
    expect(memgate(dir, 'flamegraph', 'run.json', '-o', 'out/page.html')).toMatchObject({
      code: 0,
      stdout: `${join(dir, 'out', 'page.html')}\n`,
    })
    expect(existsSync(join(dir, 'out', 'page.html'))).toBe(true)
  })

  test('embeds the data as JSON that no name can break out of', () => {
    memgate(dir, 'flamegraph', 'run.json')
    const html = readFileSync(join(dir, 'run.html'), 'utf8')
    expect(html.match(/<\/script>/g)).toHaveLength(2)
    expect(html).not.toContain('<img')
    const json = /<script type="application\/json" id="memgate-data">(.*?)<\/script>/s.exec(html)?.[1] ?? ''
    const data = JSON.parse(json)
    expect(data.facts[0]).toEqual(['Command', 'memgate run </script><img src=x onerror=alert(1)>.mjs'])
    expect(data.profiles.allocated.strings).toContain('</script><script>alert(1)</script>')
    expect(data.profiles.retained).toBeNull()
  })

  test('rejects a missing, unreadable or foreign capture with exit code 2', () => {
    expect(memgate(dir, 'flamegraph', 'missing.json')).toEqual({
      code: 2,
      stdout: '',
      stderr: `memgate: Cannot read capture file ${join(dir, 'missing.json')}: it does not exist or is not readable.\n`,
    })
    expect(memgate(dir, 'flamegraph', 'notes.txt')).toMatchObject({
      code: 2,
      stderr: `memgate: ${join(dir, 'notes.txt')} is not a memgate capture (not JSON). Make one with: memgate run <script>\n`,
    })
    expect(memgate(dir, 'flamegraph', 'other.json')).toMatchObject({ code: 2 })
    expect(memgate(dir, 'flamegraph', 'no-profile.json')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('has no heap profile or timeline'),
    })
    expect(memgate(dir, 'flamegraph')).toMatchObject({ code: 2 })
    expect(memgate(dir, 'flamegraph', 'run.json', '-o', 'run.json')).toMatchObject({
      code: 2,
      stderr: `memgate: The page would replace the capture ${join(dir, 'run.json')}. Choose another path with -o.\n`,
    })
    expect(existsSync(join(dir, 'missing.html'))).toBe(false)
  })

  test('says it is working on a large capture on a terminal, and nothing in a pipe', () => {
    const large = { ...syntheticCapture(10), padding: 'x'.repeat(21e6) }
    writeFileSync(join(dir, 'large.json'), JSON.stringify(large))
    expect(memgate(dir, 'flamegraph', 'large.json')).toEqual({
      code: 0,
      stdout: `${join(dir, 'large.html')}\n`,
      stderr: '',
    })
    const tty = onTerminal(dir, 'flamegraph', 'large.json')
    expect(tty.code).toBe(0)
    expect(tty.output).toContain(`\rmemgate: reading ${join(dir, 'large.json')} (21.1 MB)…`)
    // The line is cleared before the page's path is printed.
    expect(tty.output).toMatch(new RegExp(`\r {20,}\r${escapeRegExp(join(dir, 'large.html'))}\r?\n$`))
  })

  test('is listed in --help', () => {
    expect(memgate(dir, '--help').stdout).toMatch(
      /flamegraph\s+Render a capture as one self-contained HTML page/,
    )
    const help = memgate(dir, 'flamegraph', '--help').stdout
    expect(help).toContain('memgate flamegraph [OPTIONS] <CAPTURE>')
    expect(help).toMatch(/--retained/)
    expect(help).toMatch(/EXIT CODES\n\n {2}0 {2}the page was written[^\n]*\n {2}2 {2}bad input/)
  })
})

describe('internal frames', () => {
  test("are Node's, V8's pseudo-frames and memgate's own built files", () => {
    expect(isInternal('node:internal/modules/run_main', 'run')).toBe(true)
    expect(isInternal('', '(root)')).toBe(true)
    expect(isInternal('', '(garbage collector)')).toBe(true)
    expect(isInternal('', '')).toBe(true)
    expect(isInternal('file:///home/me/app/node_modules/@memgate/core/dist/measure/tracker.js', 'stop')).toBe(
      true,
    )
    expect(isInternal('file:///home/me/memgate/packages/cli/dist/runtime/preload.js', '')).toBe(true)
    expect(isInternal('/srv/checkout/packages/vitest/dist/plugin.js', 'collect')).toBe(true)
  })

  test("are not the user's code nor V8's built-in functions", () => {
    expect(isInternal('file:///home/me/app/src/main.js', 'main')).toBe(false)
    expect(isInternal('file:///home/me/app/packages/core/src/index.ts', 'load')).toBe(false)
    expect(isInternal('', 'push')).toBe(false)
  })
})

describe("the page's size formatter", () => {
  test('writes sizes exactly as formatSize does in the terminal', () => {
    const sizes = [
      0, 1, 999, 1000, 1049, 1050, 1234, 99_999, 999_949, 999_950, 999_999, 1e6, 48_234_567, 1.5e9,
    ]
    for (let i = 0; i < 2000; i++)
      sizes.push(Math.floor(Math.exp(Math.random() * 40)), -Math.floor(Math.random() * 1e7))
    for (const bytes of sizes) expect(pageFormatSize(bytes)).toBe(formatSize(bytes))
    expect(pageFormatSize(48_234_567)).toBe('48.2 MB')
  })
})
