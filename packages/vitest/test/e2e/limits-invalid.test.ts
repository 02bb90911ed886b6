import { expect, test } from 'vitest'
import { runFixture } from './run-fixture.js'

test('a bad limit fails the file when it is collected, quoting the input', async () => {
  const run = await runFixture('bad-limit')
  expect(run.tests).toEqual([])
  expect(run.moduleErrors).toHaveLength(1)
  expect(run.moduleErrors[0]).toMatch(/^Invalid memory size "10": it has no unit\./)
})
