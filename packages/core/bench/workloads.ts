// The work the benchmark runs, bare and under measure(). Each returns a number derived from what it built,
// which the benchmark keeps, so no engine can skip the work.
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

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

export function* fibonacci(): Generator<bigint> {
  let [a, b] = [0n, 1n]
  for (;;) {
    yield a
    ;[a, b] = [b, a + b]
  }
}

/** Walks `terms` BigInt Fibonacci numbers: many short-lived BigInts growing to ~8.7 kB each. */
export function walkFibonacci(terms = 100_000): number {
  let count = 0
  for (const _ of fibonacci()) if (++count >= terms) break
  return count
}

const catalogue = {
  items: Array.from({ length: 3000 }, (_, i) => ({
    id: i,
    name: `item ${i}`,
    tags: ['a', 'b'],
    price: i * 1.5,
  })),
}

/** Serializes and parses a 3,000-item catalogue (~200 kB of JSON) `times` times, dropping each copy. */
export function jsonRoundTrips(times = 20): number {
  let total = 0
  for (let i = 0; i < times; i++) {
    total += (JSON.parse(JSON.stringify(catalogue)) as typeof catalogue).items.length
  }
  return total
}

/** Streams `bytes` of freshly allocated Buffers through stream.pipeline in `chunk`-byte chunks. */
export async function streamBuffers(bytes = 100 * MB, chunk = 64 * 1024): Promise<number> {
  let seen = 0
  const source = Readable.from(
    (function* produceChunks() {
      for (let sent = 0; sent < bytes; sent += chunk) yield Buffer.alloc(chunk, 1)
    })(),
  )
  const sink = new Writable({
    write(data: Buffer, _encoding, done) {
      seen += data.length
      done()
    },
  })
  await pipeline(source, sink)
  return seen
}

/** One array of `count` small live objects: the unit the large heap is built from. */
export function liveObjects(count = 100_000): { id: number; group: number }[] {
  const objects = new Array<{ id: number; group: number }>(count)
  for (let i = 0; i < count; i++) objects[i] = { id: i, group: i % 7 }
  return objects
}
