import { closeSync, mkdirSync, openSync, readSync, unlinkSync } from 'node:fs'
import { Session } from 'node:inspector'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { writeHeapSnapshot } from 'node:v8'
import { postNow } from '../v8/inspector.js'
import { SnapshotParser } from './parser.js'
import type { HeapProfilerSession, HeapSnapshot } from './types.js'

export function openHeapProfiler(): HeapProfilerSession {
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object): unknown => postNow(session, method, params)
  // Made once, before any leak tracking's mark: nothing new is reachable from here while a snapshot is taken.
  const parser = new SnapshotParser()
  try {
    post('HeapProfiler.enable')
  } catch (error) {
    session.disconnect()
    throw error
  }
  return {
    post,
    on(event, listener) {
      session.on(event, (message: { params: Record<string, unknown> }) => listener(message.params))
    },
    snapshot(path) {
      return takeSnapshot(parser, path)
    },
    trackObjects(allocations) {
      post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: allocations })
    },
    close: () => session.disconnect(),
  }
}

let scratch = 0
/** Bytes read from the snapshot file at a time. */
const CHUNK = 4 * 1024 * 1024

/**
 * Takes a snapshot with `v8.writeHeapSnapshot`, which is synchronous on every Node: the inspector's
 * `HeapProfiler.takeHeapSnapshot` answers on the same call on Node 20, but on Node 24 only in a later task
 * (with the snapshot's chunks) — too late for a caller that must not let the program run in between.
 * Both take the snapshot of the same heap profiler, so object ids and allocation traces are the ones the
 * session's tracking assigned. The file is then read back in chunks, so the JSON text is never held whole.
 */
function takeSnapshot(parser: SnapshotParser, path: string | undefined): HeapSnapshot {
  const target = path ?? join(tmpdir(), `memgate-${process.pid}-${scratch++}.heapsnapshot`)
  if (path) mkdirSync(dirname(path), { recursive: true })
  writeHeapSnapshot(target)
  parser.reset()
  const file = openSync(target, 'r')
  try {
    const buffer = Buffer.allocUnsafe(CHUNK)
    const decoder = new StringDecoder('utf8')
    for (let read = readSync(file, buffer); read > 0; read = readSync(file, buffer))
      parser.push(decoder.write(buffer.subarray(0, read)))
    parser.push(decoder.end())
    return parser.end()
  } finally {
    closeSync(file)
    // unlinkSync, not rmSync: rmSync loads a module of its own on its first call, which a diagnosis would list.
    if (!path) unlinkSync(target)
  }
}
