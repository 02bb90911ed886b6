import { get, type IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseFaultSpec } from '../src/server/faults.js'
import { type MediaServer, startMediaServer } from '../src/server/media-server.js'

const sizes = { mp4: 400_000, png: 40_000 }
let server: MediaServer
beforeAll(async () => {
  server = await startMediaServer({ sizes, trickle: { bytes: 50_000, delayMs: 20 } })
})
afterAll(() => server.close())

interface Got {
  status: number
  length: number
  body: Buffer
  error?: string
  ms: number
}

/** GETs a path and keeps what arrived before the end or the error, with the error's code. */
function fetchRaw(path: string, abortAfterMs?: number): Promise<Got> {
  const started = performance.now()
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const done = (response: IncomingMessage | undefined, error?: string) =>
      resolve({
        status: response?.statusCode ?? 0,
        length: Number(response?.headers['content-length'] ?? -1),
        body: Buffer.concat(chunks),
        ...(error ? { error } : {}),
        ms: performance.now() - started,
      })
    // A reset mid-body fails the request and the response both (which first, varies with Node's version):
    // either way the status already received is kept.
    let received: IncomingMessage | undefined
    const request = get(`${server.url}${path}`, { agent: false }, (response) => {
      received = response
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => done(response))
      response.on('error', (error: NodeJS.ErrnoException) => done(response, error.code ?? error.message))
      if (abortAfterMs) setTimeout(() => request.destroy(), abortAfterMs)
    })
    request.on('error', (error: NodeJS.ErrnoException) => done(received, error.code ?? error.message))
  })
}

describe('the media server', () => {
  test('serves a video and its thumbnail with their length and type, 404 for anything else', async () => {
    const mp4 = await fetchRaw('/videos/abc.mp4')
    expect(mp4).toMatchObject({ status: 200 })
    expect(mp4.body.length).toBe(mp4.length)
    expect(mp4.body.toString('latin1', 4, 8)).toBe('ftyp')
    const png = await fetchRaw('/thumbnails/abc.png')
    expect(png.body.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect((await fetchRaw('/videos/abc.png')).status).toBe(404)
    expect((await fetchRaw('/elsewhere')).status).toBe(404)
  })

  test('answers the queued faults in order, one per request, then serves normally', async () => {
    server.faults.add('/videos/f1.mp4', ['404', '500', '503'])
    expect((await fetchRaw('/videos/f1.mp4')).status).toBe(404)
    expect((await fetchRaw('/videos/f1.mp4')).status).toBe(500)
    expect((await fetchRaw('/videos/f1.mp4')).status).toBe(503)
    expect((await fetchRaw('/videos/f1.mp4')).status).toBe(200)
  })

  test('resets the connection half-way through the body', async () => {
    server.faults.add('/videos/f2.mp4', ['reset'])
    const got = await fetchRaw('/videos/f2.mp4')
    expect(got.status).toBe(200)
    expect(got.error).toBe('ECONNRESET')
    expect(got.body.length).toBeGreaterThan(0)
    expect(got.body.length).toBeLessThanOrEqual(got.length / 2)
    expect(server.log.at(-1)).toMatchObject({ path: '/videos/f2.mp4', fault: 'reset', complete: false })
  })

  test('trickles the whole body slowly', async () => {
    server.faults.add('/videos/f3.mp4', ['trickle'])
    const got = await fetchRaw('/videos/f3.mp4')
    expect(got.body.length).toBe(got.length)
    // (Buffers compared with equals(): a deep toEqual walks them byte by byte, for seconds.)
    expect(got.body.equals((await fetchRaw('/videos/f3.mp4')).body)).toBe(true)
    // At least 6 pieces of 50 kB, 20 ms apart.
    expect(got.ms).toBeGreaterThan(100)
  })

  test('sends a web page with status 200 and the promised length instead of the file', async () => {
    server.faults.add('/videos/f4.mp4', ['wrong-magic'])
    const got = await fetchRaw('/videos/f4.mp4')
    expect(got.status).toBe(200)
    expect(got.body.length).toBe(got.length)
    expect(got.body.toString('latin1', 0, 15)).toBe('<!DOCTYPE html>')
  })

  test('stalls half-way until the client gives up', async () => {
    server.faults.add('/videos/f5.mp4', ['stall'])
    const got = await fetchRaw('/videos/f5.mp4', 300)
    expect(got.body.length).toBe(Math.floor(got.length / 2))
    expect(got.ms).toBeGreaterThan(250)
  })
})

describe('a --fault spec', () => {
  test('reads a path and its faults', () => {
    expect(parseFaultSpec('/videos/a.mp4=500,reset')).toEqual({
      path: '/videos/a.mp4',
      faults: ['500', 'reset'],
    })
  })

  test.each(['videos/a.mp4=500', '/videos/a.mp4', '/videos/a.mp4=501'])(
    'rejects %j, saying how to write one',
    (spec) => {
      expect(() => parseFaultSpec(spec)).toThrow('write <path>=<fault>[,<fault>…]')
    },
  )
})
