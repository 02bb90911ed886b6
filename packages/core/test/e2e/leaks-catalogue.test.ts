import { SourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'
import { type LeakPattern, leakPatterns } from '@memgate/test-utils/leak-catalogue'
import { afterAll, describe, expect, test } from 'vitest'
import { diagnoseLeaks, type Frame, type LeakDiagnosis } from '../../src/index.js'

// Every pattern of the leak catalogue, diagnosed by core alone: its kind, the first `held by` line and the
// allocation site, and its twin leaving none of that kind behind.
afterAll(() => {
  for (const pattern of leakPatterns) pattern.release?.()
})

/**
 * Where a function of a module Vitest transformed is in its source: Vitest's module runner keeps the map of
 * each module (as memgate's plugin reads it), and Node's `SourceMap` finds the entry.
 */
function locate(frame: Frame): Frame {
  const worker = (globalThis as { __vitest_worker__?: VitestWorker }).__vitest_worker__
  const path = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url
  const found = worker?.evaluatedModules.getModuleSourceMapById(path)
  if (!found) return frame
  const entry = new SourceMap(found.map as never).findEntry(frame.line - 1, frame.column - 1) as {
    originalLine?: number
  }
  if (entry.originalLine === undefined) return frame
  return { ...frame, url: found.resolvedSources[0] ?? path, line: entry.originalLine + 1 }
}
interface VitestWorker {
  evaluatedModules: { getModuleSourceMapById(id: string): { map: object; resolvedSources: string[] } | null }
}

function groupOf(diagnosis: LeakDiagnosis, pattern: LeakPattern) {
  const group = diagnosis.groups.find((candidate) => candidate.kind === pattern.kind)
  expect(group, `${pattern.kind} among ${diagnosis.groups.map((g) => g.kind).join(', ')}`).toBeDefined()
  return group as NonNullable<typeof group>
}

describe.each(leakPatterns.map((pattern) => [pattern.name, pattern] as const))('%s', (_, pattern) => {
  test('its twin keeps nothing of the kind, from its first run', async () => {
    const diagnosis = await diagnoseLeaks(pattern.twin)
    const kept = diagnosis.groups.find((group) => group.kind === pattern.kind)
    expect(kept?.bytes ?? 0).toBeLessThan(2_000)
    expect(
      diagnosis.bytes,
      JSON.stringify(diagnosis.groups.map((g) => [g.kind, g.bytes, g.retainerPath])),
    ).toBeLessThan(16_000)
  })

  test('its leak is named by kind, held by the real holder, and placed where it was allocated', async () => {
    const diagnosis = await diagnoseLeaks(pattern.leak, { paths: 8, locate })
    const group = groupOf(diagnosis, pattern)
    expect(diagnosis.bytes).toBeGreaterThan(100_000)
    expect(group.bytes).toBeGreaterThan(5_000)
    expect(group.retainerPath).toMatch(pattern.heldBy)
    expect(group.retainerPath).not.toMatch(
      /node:internal|node:inspector|ModuleWrap|@memgate\/|packages\/\w+\/dist\//,
    )
    expect(group.sites?.[0]?.stack[0]?.functionName).toBe(pattern.allocatedIn)
    expect(group.sites?.[0]?.stack[0]?.url).toMatch(/leak-catalogue\.ts$/)
  })
})
