// The sequence service's maximum, n = 100,000, as the README reports it: the figures between the
// `bench:sequence-max` markers come from a real run of bench/sequence-max.bench.ts (`pnpm bench:readme
// sequence-max`, about a minute and a half), which leaves its raw figures in a comment there. This checks them
// against what the response must be — its size and its last number's digits follow from the numbers
// themselves — and that the run stayed within the streaming gate's memory. The benchmark's own counting is
// checked by running it at a small n.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import type { MaxRun } from '../bench/sequence-max.bench.js'
import { MAX_TERMS } from '../src/servers/sequence.js'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The first Fibonacci numbers' digits, counted from the numbers: Binet's form is off while ψ^k still counts. */
const SMALL = (() => {
  const counts: number[] = []
  let [a, b] = [0n, 1n]
  for (let k = 0; k < 100; k++) {
    counts.push(a.toString().length)
    ;[a, b] = [b, a + b]
  }
  return counts
})()

/** Decimal digits of F(k): ⌊k·log10 φ − log10 √5⌋ + 1 (Binet), exact once k is past the first few. */
function digits(k: number): number {
  return SMALL[k] ?? Math.floor(k * Math.log10((1 + Math.sqrt(5)) / 2) - Math.log10(5) / 2) + 1
}

/** The size of /sequence?n=…: the first n numbers, each on its line. */
function responseBytes(n: number): number {
  let bytes = 0
  for (let k = 0; k < n; k++) bytes += digits(k) + 1
  return bytes
}

function sectionRun(markdown: string): MaxRun {
  const section = /<!-- bench:sequence-max:start -->([\s\S]*?)<!-- bench:sequence-max:end -->/.exec(
    markdown,
  )?.[1]
  const raw = /<!-- sequence-max: (\{.*\}) -->/.exec(section ?? '')?.[1]
  if (!raw) throw new Error('README.md has no sequence-max figures: run `pnpm bench:readme sequence-max`')
  return JSON.parse(raw) as MaxRun
}

test('the closed form counts digits exactly, against the numbers themselves', () => {
  let [a, b] = [0n, 1n]
  for (let k = 0; k < 3000; k++) {
    expect(digits(k), `F(${k})`).toBe(a.toString().length)
    ;[a, b] = [b, a + b]
  }
})

test('the benchmark counts the response it streams', () => {
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'bench/sequence-max.bench.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SEQUENCE_MAX_N: '3000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const run = sectionRun(`<!-- bench:sequence-max:start -->${output}<!-- bench:sequence-max:end -->`)
  expect(run).toMatchObject({ n: 3000, bytes: responseBytes(3000), lines: 3000, lastDigits: digits(2999) })
  expect(output).toContain(`| ${responseBytes(3000).toLocaleString('en')} `)
})

test('the README’s n = 100,000 figures are those of the real response, streamed within 16 MB', () => {
  const run = sectionRun(readFileSync(new URL('README.md', `file://${root}`), 'utf8'))
  expect(run.n).toBe(MAX_TERMS)
  expect(run.bytes).toBe(responseBytes(MAX_TERMS))
  expect(run.lines).toBe(MAX_TERMS)
  expect(run.lastDigits).toBe(digits(MAX_TERMS - 1))
  // Flat memory at the maximum, as the 50,000-number gate in servers-memory.test.ts asks of a slow client.
  expect(run.peak).toBeGreaterThan(0)
  expect(run.peak).toBeLessThan(16e6)
})
