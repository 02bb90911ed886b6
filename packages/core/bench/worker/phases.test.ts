// Run by bench/leak-diagnosis.bench.ts in a Vitest fork worker: where a leak diagnosis's time goes on a
// worker's own heap, written as JSON to MEMGATE_PHASES_OUT.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'vitest'
import { breakdown } from '../diagnosis-phases.js'

/** The benchmark's leak: 2,000 sessions pushed onto a module-level array per call (~140 kB). */
class Session {
  constructor(
    readonly id: number,
    readonly user = `user-${id}`,
  ) {}
}
const service = { sessions: [] as Session[] }

test('leak diagnosis phases in a Vitest worker', async () => {
  const out = process.env.MEMGATE_PHASES_OUT
  if (!out) throw new Error('MEMGATE_PHASES_OUT is not set: run bench/leak-diagnosis.bench.ts')
  const result = await breakdown(
    () => {
      for (let i = 0; i < 2000; i++) service.sessions.push(new Session(i))
    },
    () => {
      service.sessions = []
    },
    Number(process.env.MEMGATE_PHASES_ROUNDS ?? 5),
    join(process.env.MEMGATE_PHASES_DIR ?? '.', 'worker.heapsnapshot'),
  )
  writeFileSync(out, JSON.stringify(result))
})
