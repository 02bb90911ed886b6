// `pnpm speedup` (bench/cache-speedup.ts) as a user runs it, on a smaller book: it measures every endpoint of
// the orders service without a cache and with each, and prints the section it writes into the README, whose
// committed section has the same shape (the same columns and endpoints, figures in each cell).
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import { findRedisServer } from '../src/services/redis-server.js'

const root = new URL('..', import.meta.url)

/** The table of a section: its rows as cells, header first, the separator left out. */
function table(section: string): string[][] {
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
    .map((line) =>
      line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.trim()),
    )
}

function committedSection(): string {
  const readme = readFileSync(new URL('README.md', root), 'utf8')
  const start = readme.indexOf('<!-- speedup:start -->')
  const end = readme.indexOf('<!-- speedup:end -->')
  expect(start).toBeGreaterThan(0)
  expect(end).toBeGreaterThan(start)
  return readme.slice(start, end)
}

test('`pnpm speedup` measures every endpoint with and without the cache, in the README’s table shape', async () => {
  const scripts = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).scripts
  expect(scripts.speedup).toBe('tsx bench/cache-speedup.ts')
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'bench/cache-speedup.ts', '--orders', '300', '--calls', '30', '--no-write'],
    { cwd: root },
  )
  const rows = table(stdout)
  const committed = table(committedSection())
  // The same header and the same endpoints, in the same order (the page size follows --orders).
  expect(rows[0]).toEqual(committed[0])
  expect(rows.map((row) => row[0]?.replace(/\d[\d,]*/g, 'N'))).toEqual(
    committed.map((row) => row[0]?.replace(/\d[\d,]*/g, 'N')),
  )
  const redis = findRedisServer() !== undefined
  if (!redis) expect(stderr).toContain('the Redis column is skipped: redis-server is not on the PATH')
  for (const row of [...rows.slice(1), ...committed.slice(1)]) {
    expect(row.slice(1, 4)).toEqual([
      expect.stringMatching(/^\d+\.\d+ ms$/),
      expect.stringMatching(/^\d+\.\d+ ms$/),
      expect.stringMatching(/^×\d+(\.\d)?$/),
    ])
  }
  for (const row of rows.slice(1))
    expect(row.slice(4)).toEqual(
      redis
        ? [expect.stringMatching(/^\d+\.\d+ ms$/), expect.stringMatching(/^×\d+(\.\d)?$/)]
        : ['not run', '–'],
    )
  // A page of 300 orders read from the database costs several times what its cached text does.
  const ms = (cell: string | undefined) => Number.parseFloat(cell ?? '')
  const page = rows[1]
  expect(ms(page?.[1])).toBeGreaterThan(ms(page?.[2]))
  expect(stdout).toMatch(
    /^<!-- written by `pnpm speedup` \(bench\/cache-speedup\.ts\) from a run on \d{4}-\d\d-\d\d;/,
  )
})
