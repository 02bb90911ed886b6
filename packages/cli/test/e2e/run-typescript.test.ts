import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, expect, test } from 'vitest'
import { readCapture } from '../../src/capture.js'
import { memgate, pageFrames } from '../fixtures/report-page.js'

// A TypeScript script as a user writes it: types, blank lines, the allocating function well below line 1.
const SCRIPT = [
  'interface Row {',
  '  id: number',
  '  name: string',
  '}',
  '',
  'type Table = Row[]',
  '',
  'function loadRows(count: number): Table {',
  '  const rows: Table = []',
  '  for (let i = 0; i < count; i++) {',
  '    rows.push({ id: i, name: "row " + i })',
  '  }',
  '  return rows',
  '}',
  '',
  ';(globalThis as { kept?: Table }).kept = loadRows(200_000)',
  "console.log('loaded', (globalThis as { kept?: Table }).kept?.length)",
].join('\n')
const LINE = SCRIPT.split('\n').findIndex((line) => line.startsWith('function loadRows')) + 1

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-ts-'))
  // An ES module package, as the script of issue 20 was in: tsx compiles it to one line of JavaScript.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  writeFileSync(join(dir, 'script.ts'), SCRIPT)
  writeFileSync(join(dir, 'script.mts'), SCRIPT)
})

test.each(['script.ts', 'script.mts'])(
  'memgate run %s names the lines of the TypeScript source in its sites and its flamegraph',
  (script) => {
    const capture = `${script}.json`
    expect(memgate(dir, 'run', '-q', '-o', capture, script)).toMatchObject({
      code: 0,
      stdout: 'loaded 200000\n',
    })
    const url = pathToFileURL(join(dir, script)).href
    const top = readCapture(join(dir, capture)).measurement.allocationSites[0]?.stack[0]
    expect(top).toMatchObject({ functionName: 'loadRows', url, line: LINE })

    expect(memgate(dir, 'flamegraph', capture, '-o', `${script}.html`).code).toBe(0)
    const frames = pageFrames(readFileSync(join(dir, `${script}.html`), 'utf8'), 'loadRows')
    expect(frames).toEqual([`${url}:${LINE}`])
  },
)
