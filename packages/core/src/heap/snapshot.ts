import { closeSync, mkdirSync, openSync, readSync, unlinkSync } from 'node:fs'
import { Session } from 'node:inspector'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import { now } from '../v8/clock.js'
import { postNow } from '../v8/inspector.js'
import { type ParseExtent, SnapshotParser } from './parser.js'
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
    snapshot(path, extent) {
      return takeSnapshot(parser, path, extent)
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
 * What the last snapshot of this thread took: [0] ms for V8 to write it (its own full GCs, the graph, the
 * JSON written to the file), [1] ms for memgate to read it back into typed arrays, [2] bytes read. For the
 * benchmark's breakdown. A typed array: storing a time in it allocates nothing a leak diagnosis could see.
 */
export const lastSnapshotTimes = new Float64Array(3)

/**
 * Takes a snapshot with `v8.writeHeapSnapshot`, which is synchronous on every Node: the inspector's
 * `HeapProfiler.takeHeapSnapshot` answers on the same call on Node 20, but on Node 24 only in a later task
 * (with the snapshot's chunks) — too late for a caller that must not let the program run in between.
 * Both take the snapshot of the same heap profiler, so object ids and allocation traces are the ones the
 * session's tracking assigned. V8 collects all garbage itself before it takes the graph (several full GCs,
 * until one frees nothing more). The file is then read back in chunks of bytes, which the parser reads
 * without making strings of them: the JSON text is never held whole. Read to `'nodes'`, the file is read
 * only up to the end of its `nodes`.
 */
function takeSnapshot(
  parser: SnapshotParser,
  path: string | undefined,
  extent: ParseExtent = 'all',
): HeapSnapshot {
  const target = path ?? join(tmpdir(), `memgate-${process.pid}-${scratch++}.heapsnapshot`)
  if (path) mkdirSync(dirname(path), { recursive: true })
  const startedAt = now()
  writeHeapSnapshot(target)
  const writtenAt = now()
  parser.reset(extent)
  const file = openSync(target, 'r')
  let bytes = 0
  try {
    const buffer = Buffer.allocUnsafe(CHUNK)
    for (let read = readSync(file, buffer); read > 0 && !parser.done; read = readSync(file, buffer)) {
      bytes += read
      parser.push(buffer.subarray(0, read))
    }
    const snapshot = parser.end()
    lastSnapshotTimes[0] = writtenAt - startedAt
    lastSnapshotTimes[1] = now() - writtenAt
    lastSnapshotTimes[2] = bytes
    return snapshot
  } finally {
    closeSync(file)
    // unlinkSync, not rmSync: rmSync loads a module of its own on its first call, which a diagnosis would list.
    if (!path) unlinkSync(target)
  }
}
