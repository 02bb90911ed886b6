// Loaded with `node --import` in the process `memgate run` starts: tracks the whole script and writes the
// capture when the process exits, however it exits (end of work, process.exit(), an uncaught error).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { isMainThread } from 'node:worker_threads'
import { startTracking } from '@memgate/core'
import type { Capture } from '../capture.js'
import { mapProfile, mapSites } from './source-map.js'

// From Node 22 a preload also runs in each worker thread the script starts: the script's main thread is the
// one measured, and the capture is its own.
if (isMainThread) await track()

async function track(): Promise<void> {
  const settings = JSON.parse(process.env.MEMGATE_RUN ?? '{}') as {
    capture: string
    command: string
    script: string
    args: string[]
    interval?: number
    keep: 'allocated' | 'retained'
  }
  delete process.env.MEMGATE_RUN

  const startedAt = new Date().toISOString()
  const tracking = await startTracking({
    sampling: { keep: settings.keep, ...(settings.interval ? { interval: settings.interval } : {}) },
    sites: { limit: 20, frames: 32 },
  })

  process.once('exit', (code) => {
    const raw = tracking.stopNow()
    // A TypeScript script's frames, as the page and the sites name them, are in its own lines.
    const measurement = {
      ...raw,
      allocationSites: mapSites(raw.allocationSites),
      leakSites: mapSites(raw.leakSites),
      profile: mapProfile(raw.profile),
    }
    const capture: Capture = {
      format: 'memgate-capture',
      version: 1,
      command: settings.command,
      script: settings.script,
      args: settings.args,
      startedAt,
      exitCode: code,
      keep: settings.keep,
      measurement,
    }
    mkdirSync(dirname(settings.capture), { recursive: true })
    writeFileSync(settings.capture, JSON.stringify(capture))
  })
}
