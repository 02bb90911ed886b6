import { basename, join, relative } from 'node:path'
import { type HeapProfile, writeHeapProfile } from '@memgate/core'
import type { Test } from '@vitest/runner'
import type { RuntimeSettings } from './settings.js'

/** Where a test's heap profile goes: `<outputDir>/<test file, from the root>/<test name>.heapprofile`. */
export function profilePath(test: Test, settings: Pick<RuntimeSettings, 'outputDir' | 'root'>): string {
  const file = relative(settings.root, test.file.filepath)
  const folder = file.startsWith('..') ? basename(file) : file
  const name =
    test.fullTestName
      .replace(/[^\w.-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 120) || 'test'
  return join(settings.outputDir, folder, `${name}.heapprofile`)
}

/**
 * Writes the test's heap profile and attaches it to the test, so the UI and HTML reporter offer it.
 * Vitest takes annotations only while the test runs (not on a later repeat, where its state already reads
 * passed): the file is written either way.
 */
export async function attachProfile(
  test: Test,
  profile: HeapProfile,
  settings: RuntimeSettings,
): Promise<void> {
  const path = writeHeapProfile(profilePath(test, settings), profile)
  if (test.result?.state !== 'run') return
  await test.context.annotate(
    `heap profile of the test body, for Chrome DevTools' Memory panel: ${relative(settings.root, path)}`,
    'memgate',
    { path, contentType: 'application/json' },
  )
}
