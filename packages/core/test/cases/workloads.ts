// Workloads for the accuracy tests. Each either holds its data in `held` (so the test can weigh it after
// measuring) or holds nothing. Function names matter: allocation-site tests look for them.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export const held: { value: unknown } = { value: undefined }
const MB = 1e6

// Small integers, so the elements never change kind: writing a double into `new Array(n)` would copy the
// whole backing store once (a real, brief 2× that memgate reports).
export function preallocatedArray(bytes: number): void {
  const numbers = new Array<number>(Math.round(bytes / 8)).fill(0)
  for (let i = 0; i < numbers.length; i++) numbers[i] = i & 0xffff
  held.value = numbers
}

export function smallObjects(count: number): void {
  const objects = new Array<{ id: number; label: string }>(count)
  for (let i = 0; i < count; i++) objects[i] = { id: i, label: 'x' }
  held.value = objects
}

export function typedArray(bytes: number): void {
  held.value = new Float64Array(Math.round(bytes / 8)).fill(1)
}

export function megabyteBuffers(count: number): void {
  held.value = Array.from({ length: count }, () => Buffer.alloc(MB, 1))
}

export function pushedArray(count: number): void {
  const numbers: number[] = []
  for (let i = 0; i < count; i++) numbers.push(i + 0.5)
  held.value = numbers
}

export function filledMap(count: number): void {
  const map = new Map<number, number>()
  for (let i = 0; i < count; i++) map.set(i, i)
  held.value = map
}

export function stringFromBuffer(bytes: number): void {
  held.value = Buffer.alloc(bytes, 97).toString('latin1')
}

export function* fibonacci(): Generator<bigint> {
  let [a, b] = [0n, 1n]
  for (;;) {
    yield a
    ;[a, b] = [b, a + b]
  }
}

export function walkFibonacci(terms: number): number {
  let count = 0
  for (const _ of fibonacci()) if (++count >= terms) break
  return count
}

/** A 3,000-item catalogue: ~200 kB of JSON. */
export function makeCatalogue() {
  return {
    items: Array.from({ length: 3000 }, (_, i) => ({
      id: i,
      name: `item ${i}`,
      tags: ['a', 'b'],
      price: i * 1.5,
    })),
  }
}

export function jsonRoundTrips(times: number): number {
  const catalogue = makeCatalogue()
  let total = 0
  for (let i = 0; i < times; i++)
    total += (JSON.parse(JSON.stringify(catalogue)) as typeof catalogue).items.length
  return total
}

export async function streamBuffers(bytes: number, chunk = 64 * 1024): Promise<number> {
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

export function allocateAndDropBuffers(count: number, chunk = 64 * 1024): number {
  let total = 0
  for (let i = 0; i < count; i++) total += Buffer.alloc(chunk).length
  return total
}

/** A loopback server that sends `bytes` of body in 64 KB writes, honouring backpressure. */
export async function startBodyServer(bytes: number): Promise<{ url: string; close(): Promise<void> }> {
  const chunk = Buffer.alloc(64 * 1024, 1)
  const server = http.createServer((_request, response) => {
    let sent = 0
    const send = () => {
      while (sent < bytes) {
        sent += chunk.length
        if (!response.write(chunk)) return void response.once('drain', send)
      }
      response.end()
    }
    send()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}

export function consumeBody(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let received = 0
        response.on('data', (data: Buffer) => {
          received += data.length
        })
        response.on('end', () => resolve(received))
        response.on('error', reject)
      })
      .on('error', reject)
  })
}

/** `count` small objects in a preallocated array. */
export function buildObjects(count: number): { id: number }[] {
  const objects = new Array<{ id: number }>(count)
  for (let i = 0; i < count; i++) objects[i] = { id: i }
  return objects
}

/** Builds objects, holds them across an await, drops them and churns garbage. */
export async function objectSpike(count: number): Promise<void> {
  let objects: unknown[] | undefined = buildObjects(count)
  await new Promise((resolve) => setTimeout(resolve, 1))
  held.value = objects.length
  objects = undefined
  churn()
}

export async function bufferSpike(bytes: number): Promise<void> {
  let buffers: Buffer[] | undefined = Array.from({ length: Math.round(bytes / MB) }, () =>
    Buffer.alloc(MB, 1),
  )
  await new Promise((resolve) => setTimeout(resolve, 1))
  held.value = buffers.length
  buffers = undefined
  churn()
}

function churn(): void {
  let sum = 0
  for (let i = 0; i < 200_000; i++) sum += { i }.i
  held.value = sum
}

export class Sized {
  constructor(
    readonly id: number,
    readonly a: number,
    readonly b: number,
    readonly c: number,
  ) {}
}

export const kept: Sized[] = []

export function keepSizedObjects(count: number): void {
  for (let i = 0; i < count; i++) kept.push(new Sized(i, i, i, i))
}

export function keepNothing(): number {
  let total = 0
  for (let i = 0; i < 1000; i++) total += [i, i + 1, { i }].length
  return total
}

/**
 * Copies of `bytes` made three times by `copy`, each from the one before, keeping only the last: a chain of
 * transforms, in which no more than two copies are ever live (the step's input and its output).
 */
function copyChain<T>(make: () => T, copy: (previous: T) => T): void {
  // Made here, not passed in: a parameter holding the first copy would keep it alive to the end.
  let value = make()
  for (let step = 0; step < 3; step++) value = copy(value)
  held.value = value
}

/** A filled Float64Array of `bytes`, made so that nothing but the caller holds it. */
function filledDoubles(bytes: number): Float64Array {
  const array = new Float64Array(Math.round(bytes / 8))
  // A statement of its own: in `new Float64Array(n).fill(1)` the new array stays in an interpreter register
  // until the calling function returns, so V8 itself would keep the chain's first array alive.
  array.fill(1)
  return array
}

const filledBytes = (bytes: number) => new Uint8Array(filledDoubles(bytes).buffer)

export const mappedDoubles = (bytes: number) =>
  copyChain(
    () => filledDoubles(bytes),
    (a) => a.map((x) => x + 1),
  )
export const reversedDoubles = (bytes: number) =>
  copyChain(
    () => filledDoubles(bytes),
    (a) => a.toReversed(),
  )
export const slicedBytes = (bytes: number) =>
  copyChain(
    () => filledBytes(bytes),
    (a) => a.slice(),
  )
export const filteredBytes = (bytes: number) =>
  copyChain(
    () => filledBytes(bytes),
    (a) => a.filter(() => true),
  )
/** One step of {@link filteredBytes}, whose true peak includes the list of kept values V8 builds on the heap. */
export function filterBytesOnce(bytes: number): void {
  held.value = filledBytes(bytes).filter(() => true)
}
export const slicedBuffers = (bytes: number) =>
  copyChain(
    () => filledDoubles(bytes).buffer,
    (b) => b.slice(0),
  )
export const clonedDoubles = (bytes: number) =>
  copyChain(
    () => filledDoubles(bytes),
    (a) => structuredClone(a),
  )
export const concatenatedBuffers = (bytes: number) =>
  copyChain(
    () => Buffer.alloc(bytes, 1),
    (b) => Buffer.concat([b]),
  )
/** Reads the file at `path` four times, each read kept until the next one is made. */
export const rereadFile = (path: string) =>
  copyChain(
    () => readFileSync(path),
    () => readFileSync(path),
  )

/** A typed array of `bytes` made with `new` and filled by computation, as a signal or a matrix is. */
export function sampleSignal(bytes: number): void {
  const signal = new Float64Array(Math.round(bytes / 8))
  for (let i = 0; i < signal.length; i++) signal[i] = Math.sin(i / 100)
  held.value = signal
}
