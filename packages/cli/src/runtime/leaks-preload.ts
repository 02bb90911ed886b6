// Loaded with `node --import` in the process `memgate leaks` starts: marks what is alive before the script
// runs, and when the process exits, however it exits, diagnoses what the script left reachable and writes it.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { isMainThread } from 'node:worker_threads'
import { startLeakTracking } from '@memgate/core'
import type { LeakReport } from '../leak-report.js'
import { mapFrame } from './source-map.js'

// From Node 22 a preload also runs in each worker thread the script starts: the diagnosis is of the main
// thread's heap, written once.
if (isMainThread) await diagnoseAtExit()

async function diagnoseAtExit(): Promise<void> {
  const settings = JSON.parse(process.env.MEMGATE_LEAKS ?? '{}') as {
    report: string
    snapshot: string
    script: string
    args: string[]
  }
  delete process.env.MEMGATE_LEAKS

  // Without V8's allocation tracking: while it is on, the inspector refreshes object ids on a timer of its own
  // that keeps the event loop alive (a script would never end by itself) and costs a full GC every 50 ms.
  const tracking = await startLeakTracking({ trackAllocations: false })
  let finished = false

  /** Diagnoses what the script left and writes the report, once. */
  function finish(code: number): void {
    if (finished) return
    finished = true
    let report: LeakReport
    const head = {
      format: 'memgate-leaks',
      version: 1,
      script: settings.script,
      args: settings.args,
      exitCode: code,
    } as const
    try {
      mkdirSync(dirname(settings.snapshot), { recursive: true })
      report = {
        ...head,
        // A closure on a path is named with its line in the source (tsx's source maps, kept by Node).
        diagnosis: tracking.diagnose({
          snapshotPath: settings.snapshot,
          paths: 8,
          limit: 20,
          locate: mapFrame,
        }),
      }
    } catch (error) {
      report = { ...head, error: (error as Error)?.message ?? String(error) }
    } finally {
      tracking.stop()
    }
    mkdirSync(dirname(settings.report), { recursive: true })
    writeFileSync(settings.report, JSON.stringify(report))
  }

  process.once('exit', finish)
}
