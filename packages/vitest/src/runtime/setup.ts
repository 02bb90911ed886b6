// The setup file the plugin adds: measures the body of every test that carries memgate limits
// (or of every test, when the plugin sets a default limit or the summary is on).
import type { Test } from '@vitest/runner'
import { beforeEach } from 'vitest'
import { readSettings } from './settings.js'
import { wrapTest } from './wrap.js'

const settings = readSettings()

beforeEach(({ task }) => {
  wrapTest(task as Test, settings)
})
