// The sequence service at its maximum, n = 100,000 (about 1 GB of text), run for real: the streaming server
// and a client reading as fast as it can, over loopback, under one memgate measure() in a child process
// started with --max-semi-space-size=1. One run (it takes a minute or more); the client keeps no byte of the
// body but its count and its last line, so the figures are those of the response itself.
//   node --import tsx bench/sequence-max.bench.ts      (from examples/fibonacci; prints a Markdown section)
import { once } from 'node:events'
import { get } from 'node:http'
import type { AddressInfo } from 'node:net'
import { measure } from '@memgate/core'
import { createSequenceServer, MAX_TERMS } from '../src/servers/sequence.js'
import { answer, childRequest, formatMs, formatSize, machine, progress, runChild, table } from './shared.js'

export interface MaxRun {
  n: number
  bytes: number
  lines: number
  lastDigits: number
  ttfbMs: number
  totalMs: number
  peak: number
  held: number
}

/** Fetches /sequence?n=… counting bytes and lines, keeping only the tail of the body (its last line). */
function fetchCounting(port: number, n: number) {
  const start = performance.now()
  return new Promise<Omit<MaxRun, 'peak' | 'held'>>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: `/sequence?n=${n}` }, (response) => {
      if (response.statusCode !== 200)
        return reject(new Error(`/sequence?n=${n} answered ${response.statusCode}`))
      response.setEncoding('latin1')
      let ttfbMs = -1
      let bytes = 0
      let lines = 0
      let tail = ''
      response.on('data', (chunk: string) => {
        if (ttfbMs < 0) ttfbMs = performance.now() - start
        bytes += chunk.length
        for (let at = chunk.indexOf('\n'); at >= 0; at = chunk.indexOf('\n', at + 1)) lines++
        tail = (tail + chunk).slice(-30_000)
      })
      response.on('end', () => {
        const last = tail.trimEnd().split('\n').at(-1) ?? ''
        resolve({ n, bytes, lines, lastDigits: last.length, ttfbMs, totalMs: performance.now() - start })
      })
      response.on('error', reject)
    }).on('error', reject)
  })
}

async function runOnce(n: number): Promise<MaxRun> {
  let fetched: Omit<MaxRun, 'peak' | 'held'> | undefined
  const server = createSequenceServer()
  const result = await measure(async () => {
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    fetched = await fetchCounting((server.address() as AddressInfo).port, n)
  })
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  if (!fetched) throw new Error('no response')
  return { ...fetched, peak: result.peak, held: result.leaked }
}

const request = childRequest<number>()
if (request !== undefined) {
  answer(await runOnce(request))
} else {
  const n = Number(process.env.SEQUENCE_MAX_N ?? MAX_TERMS)
  const started = performance.now()
  progress(`streaming /sequence?n=${n.toLocaleString('en')} under measure()…`)
  const run = runChild<MaxRun>(new URL(import.meta.url), n)
  const seconds = ((performance.now() - started) / 1000).toFixed(0)
  console.log(
    [
      `<!-- sequence-max: ${JSON.stringify(run)} -->`,
      '',
      table(
        [
          'n',
          'body',
          'body in bytes',
          'lines',
          "last number's digits",
          'time to first byte',
          'total time',
          'peak',
          'held after',
        ],
        [
          [
            run.n.toLocaleString('en'),
            formatSize(run.bytes),
            run.bytes.toLocaleString('en'),
            run.lines.toLocaleString('en'),
            run.lastDigits.toLocaleString('en'),
            formatMs(run.ttfbMs),
            formatMs(run.totalMs),
            formatSize(run.peak),
            formatSize(run.held),
          ],
        ],
      ),
      '',
      'One request to the streaming server, over loopback, the client reading as fast as it can and counting ' +
        'bytes and lines (it keeps the last line only). Server and client under one memgate `measure()` in a ' +
        'fresh process started with `--max-semi-space-size=1`: peak = JS heap + external above the level ' +
        'before the server started; "held after" is what was still reachable after a full GC once the response ' +
        `had ended. Times are under measurement, slower than a plain run. ${machine()}; the run took ${seconds} s.`,
    ].join('\n'),
  )
}
