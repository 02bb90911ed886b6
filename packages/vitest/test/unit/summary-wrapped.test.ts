import { expect, test } from 'vitest'
import { wrap } from '../../src/node/summary-table.js'

test('a name within the width stays on one line', () => {
  expect(wrap('a.test.ts > short', 20)).toEqual(['a.test.ts > short'])
})

test('a longer name breaks at spaces, the lines after the first indented, none wider than the width', () => {
  const lines = wrap('a.test.ts > suite > leaves no record behind, 200 kB per run', 20)
  expect(lines).toEqual(['a.test.ts > suite >', '  leaves no record', '  behind, 200 kB per', '  run'])
  expect(lines.join(' ').replace(/ +/g, ' ')).toBe(
    'a.test.ts > suite > leaves no record behind, 200 kB per run',
  )
})

test('a word longer than a line is cut, nothing lost', () => {
  const lines = wrap(`x ${'y'.repeat(25)}`, 10)
  expect(lines).toEqual(['x', '  yyyyyyyy', '  yyyyyyyy', '  yyyyyyyy', '  y'])
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(10)
})
