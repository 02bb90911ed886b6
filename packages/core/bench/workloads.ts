// The work the benchmark runs, bare and under measure(). Each returns a number derived from what it built,
// which the benchmark keeps, so no engine can skip the work.
import { makeCatalogue } from '../test/cases/workloads.js'

export const MB = 1e6

/**
 * Builds `rounds` arrays of `count` small objects, dropping each before building the next. An array and its
 * objects outlive a 1 MB young generation, so they are promoted and die in the old generation.
 */
export function buildAndDropObjects(rounds = 10, count = 100_000): number {
  let total = 0
  for (let round = 0; round < rounds; round++) {
    const objects = new Array<{ id: number; label: string }>(count)
    for (let i = 0; i < count; i++) objects[i] = { id: i, label: 'x' }
    total += objects.length
  }
  return total
}

// The generator walk and the Buffer stream are the accuracy tests' own workloads.
export { fibonacci, streamBuffers, walkFibonacci } from '../test/cases/workloads.js'

// Built once here, so the benchmark times the round trips alone.
const catalogue = makeCatalogue()

/** Serializes and parses a 3,000-item catalogue (~200 kB of JSON) `times` times, dropping each copy. */
export function jsonRoundTrips(times = 20): number {
  let total = 0
  for (let i = 0; i < times; i++) {
    total += (JSON.parse(JSON.stringify(catalogue)) as typeof catalogue).items.length
  }
  return total
}

/** One array of `count` small live objects: the unit the large heap is built from. */
export function liveObjects(count = 100_000): { id: number; group: number }[] {
  const objects = new Array<{ id: number; group: number }>(count)
  for (let i = 0; i < count; i++) objects[i] = { id: i, group: i % 7 }
  return objects
}
