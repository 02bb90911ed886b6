import { type LeakPattern, leakPatterns } from '@memgate/test-utils/leak-catalogue'
import { afterAll, describe, expect, test } from 'vitest'
import { diagnoseLeaks, type LeakDiagnosis } from '../../src/index.js'

// Every pattern of the leak catalogue, diagnosed by core alone: its kind, the first `held by` line and the
// allocation site, and its twin leaving none of that kind behind.
afterAll(() => {
  for (const pattern of leakPatterns) pattern.release?.()
})

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
    const diagnosis = await diagnoseLeaks(pattern.leak, { paths: 8 })
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
