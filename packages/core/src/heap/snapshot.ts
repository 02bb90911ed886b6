import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { Session } from 'node:inspector'
import { dirname } from 'node:path'
import { postNow } from '../v8/inspector.js'
import { SnapshotParser } from './parser.js'
import type { HeapProfilerSession } from './types.js'

export function openHeapProfiler(): HeapProfilerSession {
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object): unknown => postNow(session, method, params)
  // Made once, before any leak tracking's mark: nothing new is reachable from here while a snapshot is taken.
  const parser = new SnapshotParser()
  let file: number | undefined
  session.on('HeapProfiler.addHeapSnapshotChunk', (message) => {
    if (file !== undefined) writeSync(file, message.params.chunk)
    parser.push(message.params.chunk)
  })
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
      parser.reset()
      if (path) {
        mkdirSync(dirname(path), { recursive: true })
        file = openSync(path, 'w')
      }
      try {
        // The chunks arrive as events while the call runs, synchronously on this thread.
        post('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
        return parser.end()
      } finally {
        if (file !== undefined) closeSync(file)
        file = undefined
      }
    },
    trackObjects(allocations) {
      post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: allocations })
    },
    close: () => session.disconnect(),
  }
}
