// The setup file the plugin adds: measures the body of every test that carries memgate limits
// (or of every test, when the plugin sets a default limit or the summary is on).
import type { Test } from '@vitest/runner'
import { beforeEach } from 'vitest'
import { readSettings } from './settings.js'

const settings = readSettings()
const measuresEveryTest =
  settings.summary || settings.fence.peak !== undefined || settings.fence.leaks !== undefined

beforeEach(async ({ task }) => {
  if (!measuresEveryTest && !task.meta.memgate?.limits) return
  // Loaded only once a test is to be measured: a suite without limits does not pay for the engine.
  const { wrapTest } = await import('./wrap.js')
  wrapTest(task as Test, settings)
})
