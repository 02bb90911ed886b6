import { writeFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { type Measurement, writeHeapProfile } from '@memgate/core'
import { artifactName } from '@memgate/core/internal'
import type { RunnerTestCase as Test } from 'vitest'
import type { RuntimeSettings } from './settings.js'

/**
 * Where a test's artifact goes: `<outputDir>/<test file, from the root>/<test name>.<extension>`, or
 * `<test name>.attempt-<n>.<extension>` for a test with retries, so that each attempt keeps its own.
 */
export function artifactPath(
  test: Test,
  settings: Pick<RuntimeSettings, 'outputDir' | 'root'>,
  extension: 'heapprofile' | 'heapsnapshot',
): string {
  const file = relative(settings.root, test.file.filepath)
  const folder = file.startsWith('..') ? basename(file) : file
  const name = artifactName(test.fullTestName)
  const tried = attempt(test)
  return join(settings.outputDir, folder, `${name}${tried ? `.attempt-${tried.number}` : ''}.${extension}`)
}

/** Which attempt of a test with retries is running (from 1), and of how many; none without retries. */
function attempt(test: Test): { number: number; of: number } | undefined {
  // `retry` is a count, or (Vitest 4.1 and later) an object with one.
  const retry = test.retry as number | { count?: number } | undefined
  const retries = typeof retry === 'number' ? retry : (retry?.count ?? 0)
  if (retries <= 0) return undefined
  return { number: (test.result?.retryCount ?? 0) + 1, of: retries + 1 }
}

/**
 * Writes the test's heap profile and attaches it to the test, so the UI and HTML reporter offer it; returns
 * where it went, and for an attempt of a test with retries (not attached) the line naming it, for its failure.
 * Vitest takes annotations only while the test runs (not on a later repeat, where its state already reads
 * passed): the file is written either way.
 */
export async function attachProfile(
  test: Test,
  { profile, timeline }: Pick<Measurement, 'profile' | 'timeline'>,
  settings: RuntimeSettings,
): Promise<{ path: string; note: string }> {
  const path = writeHeapProfile(artifactPath(test, settings, 'heapprofile'), profile)
  // Beside it, the body's memory over time: `memgate report` draws it on the test's page, with the limit.
  writeFileSync(path.replace(/\.heapprofile$/, '.timeline.json'), JSON.stringify(timeline))
  const note = await attach(
    test,
    settings,
    path,
    "heap profile of the test body, for Chrome DevTools' Memory panel",
  )
  return { path, note }
}

/**
 * Attaches a heap snapshot a leak diagnosis wrote. An attempt of a test with retries is not annotated (see
 * `attach`): the diagnosis section of its failure names its snapshot already.
 */
export async function attachSnapshot(test: Test, settings: RuntimeSettings, path: string): Promise<void> {
  await attach(
    test,
    settings,
    path,
    "heap snapshot after the leak diagnosis run, for Chrome DevTools' Memory panel",
  )
}

/**
 * Annotates the test with the file. Not an attempt of a test with retries: Vitest lists all of a test's
 * annotations under each of its errors, so each attempt's error would list every attempt's file. Its file is
 * named in its own error instead: the note returned.
 */
async function attach(test: Test, settings: RuntimeSettings, path: string, what: string): Promise<string> {
  const shown = relative(settings.root, path)
  const tried = attempt(test)
  if (tried) return `\n\nAttempt ${tried.number} of ${tried.of}: ${what}: ${shown}`
  if (test.result?.state === 'run')
    await test.context.annotate(annotationMessage(what, shown), 'memgate', {
      path,
      contentType: 'application/json',
    })
  return ''
}

// Vitest names its copy of an attachment `<message>-<40 hex>.<extension>` (its characters outside [\w-] made
// `-`, never more of them): past this many bytes the message would make that name longer than file systems take.
export const MESSAGE_BYTES = 255 - '-'.length - 40 - '.heapsnapshot'.length

/** The annotation's message: the file's path, kept to its end (the test's name and hash) when too long. */
export function annotationMessage(what: string, shown: string): string {
  const whole = `${what}: ${shown}`
  if (Buffer.byteLength(whole) <= MESSAGE_BYTES) return whole
  const start = `${what}: …`
  let end = ''
  for (const char of [...shown].reverse()) {
    if (Buffer.byteLength(start + char + end) > MESSAGE_BYTES) break
    end = char + end
  }
  return start + end
}
