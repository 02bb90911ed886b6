import { existsSync, readFileSync, rmSync } from 'node:fs'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { Summary } from '@memgate/core/internal'
import { expect, test } from 'vitest'
import { createVitest } from 'vitest/node'
import { runFixture } from './run-fixture.js'

const root = fileURLToPath(new URL('../fixtures/summary/', import.meta.url))
// Its own config and output folder: other tests run the same fixture at the same time.
const config = `${root}vitest.merge.config.ts`
const blobs = `${root}.memgate/merged/blobs`
const summaryFile = `${root}.memgate/merged/summary.json`

test('the summary is made again from blob reports merged with --merge-reports', async () => {
  rmSync(`${root}.memgate/merged`, { recursive: true, force: true })
  await runFixture('summary', {
    config: 'vitest.merge.config.ts',
    inline: { reporters: ['blob'], outputFile: { blob: `${blobs}/blob.json` } },
  })
  expect(existsSync(`${blobs}/blob.json`)).toBe(true)
  rmSync(summaryFile)

  let output = ''
  const sink = new Writable({
    write(chunk, _encoding, done) {
      output += chunk
      done()
    },
  })
  const exitCode = process.exitCode
  const vitest = await createVitest(
    'test',
    { root, config, watch: false, cache: false, reporters: [{}] },
    {},
    { stdout: sink, stderr: sink },
  )
  try {
    await vitest.mergeReports(blobs)
  } finally {
    await vitest.close()
    process.exitCode = exitCode
  }
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary
  expect(summary.measured).toBe(4)
  expect(summary.tests[0]).toMatchObject({ name: 'holds 30 MB, over its limit', verdict: 'over peak' })
  expect(output).toContain('memgate: the 2 of 4 measured tests with the highest peak')
})
