// The setup file the plugin adds: measures the body of every test that carries memgate limits.
import type { Test } from '@vitest/runner'
import { beforeEach } from 'vitest'
import { wrapTest } from './wrap.js'

beforeEach(({ task }) => {
  wrapTest(task as Test)
})
