import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { leakPatterns } from '@memgate/test-utils/leak-catalogue'
import { beforeAll, describe, expect, test } from 'vitest'
import { memgate } from '../fixtures/report-page.js'

// The leak catalogue through `memgate leaks`: a script per pattern calls its leak (or its twin) once; the
// report names the kind and its real holder, as the Vitest plugin's failures do (no allocation sites here).
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memgate-catalogue-'))
})

const catalogue = import.meta.resolve('@memgate/test-utils/leak-catalogue')

function script(name: string, call: 'leak' | 'twin'): string {
  const file = `${call}-${name.replaceAll(/\W+/g, '-')}.mts`
  writeFileSync(
    join(dir, file),
    [
      `import { leakPatterns } from ${JSON.stringify(catalogue)}`,
      `await leakPatterns.find((pattern) => pattern.name === ${JSON.stringify(name)})?.${call}()`,
    ].join('\n'),
  )
  return file
}

/** The report's line of one kind (`  80 kB  Session (3,000 new)`) and its `held by` line, or undefined. */
function kindLines(stderr: string, kind: string) {
  const found = new RegExp(`\\n +[\\d.]+ [kM]?B +${kind} \\([\\d,]+ new[^)]*\\)\\n +held by ([^\\n]+)`).exec(
    stderr,
  )
  return found ? { heldBy: found[1] } : undefined
}

describe.each(leakPatterns.map((pattern) => [pattern.name, pattern] as const))('%s', (name, pattern) => {
  test('the leak is named by kind and held by the real holder; its twin leaves none of the kind', () => {
    const leak = memgate(dir, 'leaks', '-o', 'leak.heapsnapshot', script(name, 'leak'))
    expect(leak.code, leak.stderr).toBe(0)
    const lines = kindLines(leak.stderr, pattern.kind)
    expect(lines, leak.stderr).toBeDefined()
    expect(lines?.heldBy).toMatch(pattern.heldBy)
    expect(leak.stderr).not.toMatch(/node:inspector|ModuleWrap/)
    const twin = memgate(dir, 'leaks', '-o', 'twin.heapsnapshot', script(name, 'twin'))
    expect(twin.code, twin.stderr).toBe(0)
    expect(kindLines(twin.stderr, pattern.kind), twin.stderr).toBeUndefined()
  })
})
