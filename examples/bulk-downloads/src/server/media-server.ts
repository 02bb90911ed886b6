import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULT_SIZES, type MediaKind, type MediaSizes, mediaChunks, mediaSize } from '../media/generate.js'
import { type Fault, FaultPlan } from './faults.js'

export interface MediaServerOptions {
  /** Average file sizes. Default {@link DEFAULT_SIZES}. */
  sizes?: MediaSizes
  /** Default 0: any free port. */
  port?: number
  /** How a `trickle` fault sends its body: `bytes` at a time, `delayMs` apart. Default 16 kB every 10 ms. */
  trickle?: { bytes: number; delayMs: number }
  /** Keep a log of every request (default true); off for long runs. */
  log?: boolean
}

export interface RequestRecord {
  /** When the request arrived, counted from 0: records are logged as requests end, in another order. */
  order: number
  path: string
  status: number
  fault?: Fault
  /** Body bytes written to the socket. */
  bytes: number
  /** The whole body was sent (false: reset, stalled, or the client went away first). */
  complete: boolean
}

export interface MediaServer {
  /** `http://127.0.0.1:<port>`, what a catalogue's URLs start with. */
  url: string
  server: Server
  faults: FaultPlan
  /** Every finished request, in the order they ended. */
  log: RequestRecord[]
  /** How many requests have arrived so far: the `order` the next one gets. */
  readonly received: number
  close(): Promise<void>
}

const ROUTE = /^\/(videos|thumbnails)\/([A-Za-z0-9_-]+)\.(mp4|png)$/

/**
 * A loopback HTTP server for the catalogue's media: `/videos/<id>.mp4` and `/thumbnails/<id>.png`, made by
 * the media generator as they are sent, for any id. Faults queued in `faults` replace the normal answer.
 */
export async function startMediaServer(options: MediaServerOptions = {}): Promise<MediaServer> {
  const { sizes = DEFAULT_SIZES, port = 0, trickle = { bytes: 16_000, delayMs: 10 }, log = true } = options
  const faults = new FaultPlan()
  const records: RequestRecord[] = []
  let received = 0
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    const fault = faults.take(path)
    const record: RequestRecord = {
      order: received++,
      path,
      status: 0,
      bytes: 0,
      complete: false,
      ...(fault ? { fault } : {}),
    }
    response.on('close', () => {
      record.status = response.statusCode
      record.complete = response.writableFinished
      if (log) records.push(record)
    })
    answer(request, response, path, fault, record, sizes, trickle).catch(() => response.destroy())
  })
  server.listen(port, '127.0.0.1')
  await once(server, 'listening')
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${bound}`,
    server,
    faults,
    log: records,
    get received() {
      return received
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  fault: Fault | undefined,
  record: RequestRecord,
  sizes: MediaSizes,
  trickle: { bytes: number; delayMs: number },
): Promise<void> {
  const match = ROUTE.exec(path)
  const [, folder, id = '', extension] = match ?? []
  const kind = extension as MediaKind | undefined
  if (request.method !== 'GET' || !kind || (folder === 'videos') !== (kind === 'mp4')) {
    return text(response, 404, `No such file: ${path}`)
  }
  if (fault === '404' || fault === '500' || fault === '503') {
    return text(response, Number(fault), `Injected fault: ${fault}`)
  }
  const size = mediaSize(kind, id, sizes)
  response.writeHead(200, {
    'content-type': kind === 'mp4' ? 'video/mp4' : 'image/png',
    'content-length': size,
  })
  const chunks = fault === 'wrong-magic' ? htmlInstead(size) : mediaChunks(kind, id, size)
  const cut = fault === 'reset' || fault === 'stall' ? Math.floor(size / 2) : size
  for (const chunk of chunks) {
    if (response.destroyed) return
    const piece = chunk.subarray(0, Math.max(0, cut - record.bytes))
    if (fault === 'trickle') {
      for (let at = 0; at < piece.length; at += trickle.bytes) {
        // A pause before each piece but the first: the body ends with its last piece, not a pause.
        if (record.bytes > 0) await sleep(trickle.delayMs)
        await write(response, piece.subarray(at, at + trickle.bytes))
        record.bytes += Math.min(trickle.bytes, piece.length - at)
      }
    } else {
      await write(response, piece)
      record.bytes += piece.length
    }
    if (record.bytes >= cut) break
  }
  if (fault === 'reset') {
    // The first half really goes out before the reset: the client sees the connection die mid-body.
    await flushed(response)
    response.socket?.resetAndDestroy()
  } else if (fault === 'stall') await once(response, 'close')
  else response.end()
}

/** Resolves when the response can take more: at once, after a drain, or when the client went away. */
async function write(response: ServerResponse, chunk: Buffer): Promise<void> {
  if (response.write(chunk)) return
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done)
      response.off('close', done)
      resolve()
    }
    response.on('drain', done)
    response.on('close', done)
  })
}

/** Resolves when everything written so far has left for the socket (or the client went away). */
function flushed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (response.destroyed) return resolve()
    response.write(Buffer.alloc(0), () => resolve())
  })
}

function text(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
  response.end(`${body}\n`)
}

/** What a misconfigured CDN or a captive portal sends with a 200: a web page, padded to the promised size. */
function* htmlInstead(size: number): Generator<Buffer> {
  const page = Buffer.from('<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body>')
  yield page.subarray(0, size)
  for (let left = size - page.length; left > 0; left -= 65_536) yield Buffer.alloc(Math.min(left, 65_536), 32)
}
