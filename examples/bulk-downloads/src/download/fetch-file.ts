import { createWriteStream } from 'node:fs'
import { type Agent, get, type IncomingMessage } from 'node:http'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { MediaKind } from '../media/generate.js'
import { checkMagic, MAGIC_BYTES } from '../media/magic.js'
import { DownloadError, HttpStatusError, InvalidMediaError, NetworkError } from './errors.js'

export interface FetchOptions {
  agent: Agent
  /** A connection that sends nothing for this long is given up (and retried). */
  idleTimeoutMs: number
}

/**
 * Streams one file to `path` (which it creates or truncates), checking its first bytes on the way: the body
 * never sits whole in memory. Resolves to its size once it is complete on disk (flushed). Throws a
 * {@link DownloadError} for anything the server or the network did; `path` may then hold part of a file, for
 * the caller to remove.
 */
export async function fetchToFile(url: string, kind: MediaKind, path: string, options: FetchOptions) {
  const response = await request(url, options)
  if (response.statusCode !== 200) {
    response.resume()
    throw new HttpStatusError(url, response.statusCode ?? 0)
  }
  const expected = Number(response.headers['content-length'])
  const check = new MagicCheck(url, kind)
  try {
    await pipeline(response, check, createWriteStream(path, { flush: true }))
  } catch (error) {
    if (error instanceof DownloadError || !isNetworkFailure(error)) throw error
    throw new NetworkError(url, `the connection failed after ${check.bytes} bytes (${describe(error)})`, {
      cause: error,
    })
  }
  if (Number.isFinite(expected) && check.bytes !== expected) {
    throw new NetworkError(url, `the body ended after ${check.bytes} of ${expected} bytes`)
  }
  return check.bytes
}

function request(url: string, { agent, idleTimeoutMs }: FetchOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = get(url, { agent }, resolve)
    outgoing.setTimeout(idleTimeoutMs, () =>
      outgoing.destroy(new NetworkError(url, `nothing received for ${idleTimeoutMs} ms`)),
    )
    outgoing.on('error', (error) =>
      reject(
        error instanceof DownloadError ? error : new NetworkError(url, describe(error), { cause: error }),
      ),
    )
  })
}

/** Passes the body through once its first bytes are those of an MP4 or a PNG; fails at once otherwise. */
class MagicCheck extends Transform {
  bytes = 0
  #head: Buffer[] = []
  #verified = false

  constructor(
    readonly url: string,
    readonly kind: MediaKind,
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length
    if (this.#verified) {
      done(null, chunk)
      return
    }
    this.#head.push(chunk)
    // Until the magic bytes are in, nothing goes on to the file.
    if (this.bytes < MAGIC_BYTES) done()
    else done(this.#verify(), Buffer.concat(this.#head.splice(0)))
  }

  override _flush(done: TransformCallback): void {
    // A body shorter than the magic bytes is checked (and fails) at its end.
    if (this.#verified) done()
    else done(this.#verify(), Buffer.concat(this.#head.splice(0)))
  }

  /** An {@link InvalidMediaError} unless what came so far starts like a file of its kind. */
  #verify(): InvalidMediaError | null {
    const result = checkMagic(this.kind, Buffer.concat(this.#head))
    if (!result.ok) return new InvalidMediaError(this.url, this.kind, result.found)
    this.#verified = true
    return null
  }
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
])

/** A failure of the connection (worth another try), not of the disk. */
function isNetworkFailure(error: unknown): boolean {
  const { code, message } = error as NodeJS.ErrnoException
  return (
    (code !== undefined && NETWORK_CODES.has(code)) ||
    message === 'aborted' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE'
  )
}

function describe(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException
  return code && !message.includes(code) ? `${code}: ${message}` : message
}
