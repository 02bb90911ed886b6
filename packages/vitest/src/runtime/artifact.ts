import { writeFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { type Measurement, writeHeapProfile } from '@memgate/core'
import type { RunnerTestCase as Test } from 'vitest'
import type { RuntimeSettings } from './settings.js'

/** Where a test's artifact goes: `<outputDir>/<test file, from the root>/<test name>.<extension>`. */
export function artifactPath(
  test: Test,
  settings: Pick<RuntimeSettings, 'outputDir' | 'root'>,
  extension: 'heapprofile' | 'heapsnapshot',
): string {
  const file = relative(settings.root, test.file.filepath)
  const folder = file.startsWith('..') ? basename(file) : file
  const name =
    test.fullTestName
      .replace(/[^\w.-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 120) || 'test'
  return join(settings.outputDir, folder, `${name}.${extension}`)
}

/**
 * Writes the test's heap profile and attaches it to the test, so the UI and HTML reporter offer it; returns
 * where it went. Vitest takes annotations only while the test runs (not on a later repeat, where its state
 * already reads passed): the file is written either way.
 */
export async function attachProfile(
  test: Test,
  { profile, timeline }: Pick<Measurement, 'profile' | 'timeline'>,
  settings: RuntimeSettings,
): Promise<string> {
  const path = writeHeapProfile(artifactPath(test, settings, 'heapprofile'), profile)
  // Beside it, the body's memory over time: `memgate report` draws it on the test's page, with the limit.
  writeFileSync(path.replace(/\.heapprofile$/, '.timeline.json'), JSON.stringify(timeline))
  await attach(test, settings, path, "heap profile of the test body, for Chrome DevTools' Memory panel")
  return path
}

/** Attaches a heap snapshot a leak diagnosis wrote. */
export async function attachSnapshot(test: Test, settings: RuntimeSettings, path: string): Promise<void> {
  await attach(
    test,
    settings,
    path,
    "heap snapshot after the leak diagnosis run, for Chrome DevTools' Memory panel",
  )
}

async function attach(test: Test, settings: RuntimeSettings, path: string, what: string): Promise<void> {
  if (test.result?.state !== 'run') return
  await test.context.annotate(`${what}: ${relative(settings.root, path)}`, 'memgate', {
    path,
    contentType: 'application/json',
  })
}
