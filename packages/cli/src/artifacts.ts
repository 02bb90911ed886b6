import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { HeapProfile, TimelinePoint } from '@memgate/core'
import { artifactName, type SummaryEntry } from '@memgate/core/internal'

/**
 * Where @memgate/vitest writes a failing test's heap profile: `<outputDir>/<test file>/<full name>.heapprofile`,
 * the name made a safe file name by `artifactName`, as packages/vitest/src/runtime/artifact.ts does.
 */
export function profilePathOf(dir: string, entry: Pick<SummaryEntry, 'file' | 'name'>): string {
  const folder = entry.file.startsWith('..') ? basename(entry.file) : entry.file
  return join(dir, folder, `${artifactName(entry.name)}.heapprofile`)
}

/**
 * Every `.heapprofile` under `dir`, sorted. Folders below that hold a summary.json of their own are other
 * runs' artifacts (e.g. a merged run's) and are left out.
 */
export function findProfiles(dir: string): string[] {
  const found: string[] = []
  const pending = [dir]
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    const entries = readdirSync(folder, { withFileTypes: true })
    if (folder !== dir && entries.some((entry) => entry.name === 'summary.json')) continue
    for (const entry of entries) {
      const path = join(folder, entry.name)
      if (entry.isDirectory() && entry.name !== 'node_modules') pending.push(path)
      else if (entry.isFile() && entry.name.endsWith('.heapprofile')) found.push(path)
    }
  }
  return found.sort()
}

/** The `.heapsnapshot` written next to a profile (for a leak failure), if there is one. */
export function snapshotNextTo(profile: string): string | undefined {
  const path = profile.replace(/\.heapprofile$/, '.heapsnapshot')
  return existsSync(path) ? path : undefined
}

/**
 * The test body's memory over time written next to a profile, `<name>.timeline.json`: a measurement's
 * `timeline` as JSON (`[{ t, heap, external, rss }, …]`, ms and bytes, heap and external above the start).
 */
export function timelineNextTo(profile: string): string | undefined {
  const path = profile.replace(/\.heapprofile$/, '.timeline.json')
  return existsSync(path) ? path : undefined
}

/** Reads a timeline, or says in a few words why it cannot be used. */
export function readTimeline(path: string): TimelinePoint[] | string {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    return error instanceof SyntaxError ? 'not JSON' : 'not readable'
  }
  const isPoint = (point: unknown) =>
    typeof point === 'object' &&
    point !== null &&
    ['t', 'heap', 'external', 'rss'].every((key) => Number.isFinite((point as Record<string, unknown>)[key]))
  if (!Array.isArray(data) || !data.every(isPoint))
    return 'not a memgate timeline (an array of { t, heap, external, rss })'
  return data as TimelinePoint[]
}

/** Reads a heap profile, or says in a few words why it cannot be used. */
export function readProfile(path: string): HeapProfile | string {
  let data: Partial<HeapProfile>
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as Partial<HeapProfile>
  } catch (error) {
    return error instanceof SyntaxError ? 'not JSON' : 'not readable'
  }
  const head = data?.head
  if (!head || typeof head !== 'object' || !Array.isArray(head.children) || !head.callFrame)
    return 'not a heap profile (no call tree)'
  return data as HeapProfile
}
