import type { LeakDiagnosis } from '@memgate/core'
import { describe, expect, test } from 'vitest'
import { type BodyDiagnosis, diagnosisSection } from '../../src/runtime/diagnosis.js'
import type { RuntimeSettings } from '../../src/runtime/settings.js'

const settings = { root: '/project' } as RuntimeSettings
const context = { limit: 16_000, runs: 1 }

/** A diagnosis of one kind, 2,000 objects held by an array, made with or without allocation sites. */
function made(sitesTracked: boolean): LeakDiagnosis {
  return {
    groups: [
      {
        kind: 'Row',
        count: 2000,
        bytes: 80_000,
        externalBytes: 0,
        retainerPath: 'module rows.ts → kept (Array) → Row',
      },
    ],
    count: 2000,
    bytes: 80_000,
    externalBytes: 0,
    nodeOwn: { count: 0, bytes: 0 },
    ignored: { count: 0, bytes: 0, kinds: [], groups: [] },
    sitesTracked,
    durationMs: 1500,
  }
}

function section(result: Partial<BodyDiagnosis>): string {
  const base: BodyDiagnosis = {
    sites: { track: true, why: 'fits' },
    measured: { bodyMs: 40, allocated: 1e6 },
    timeout: 5000,
  }
  return diagnosisSection({ ...base, ...result }, settings, context)
}

describe('a diagnosis made without allocation sites says why', () => {
  test('its tracked run would not fit the timeout: the measured time, the factor, the timeout', () => {
    const text = section({
      diagnosis: made(false),
      sites: { track: false, why: 'timeout' },
      measured: { bodyMs: 238, allocated: 200e6 },
    })
    expect(text).toContain(
      '\n      80 kB  Row (2,000 new)\n             held by module rows.ts → kept (Array) → Row',
    )
    expect(text).toContain(
      "\nAllocation sites per kind were not tracked: the body took 238 ms and allocated 200 MB; tracking every allocation, its re-run would take an estimated 15.5 s, past the test's timeout of 5000 ms (Vitest times each run of the body, the diagnosis's too). A larger `timeout` lets them be tracked; the sampled sites above are for all kinds together.",
    )
  })

  test('its tracked run reached the timeout, and it ran once more without them', () => {
    const text = section({
      diagnosis: made(false),
      timedOut: { runs: [true] },
      measured: { bodyMs: 180, allocated: 0 },
    })
    expect(text).toMatch(/^\n\nLeak diagnosis \(the body ran once more under leak tracking; took 1\.5 s\)/)
    expect(text).toContain(
      "\nAllocation sites per kind were not tracked: the re-run tracking them reached the test's timeout of 5000 ms (the measured run took 180 ms; tracking every allocation makes a body many times slower), so the body ran once more without them, after Vitest had aborted the test's `signal`. A larger `timeout` leaves tracking the time it needs; the sampled sites above are for all kinds together.",
    )
  })

  test('the body is slow, or the test asked: as before', () => {
    const slow = { bodyMs: 4200, allocated: 0 }
    expect(
      section({ diagnosis: made(false), sites: { track: false, why: 'slow' }, measured: slow }),
    ).toContain(
      '\nAllocation sites per kind were not tracked: the body took 4.2 s, and tracking every allocation would make its re-run many times slower. `diagnose: { sites: true }` tracks them anyway; the sampled sites above are for all kinds together.',
    )
    expect(section({ diagnosis: made(false), sites: { track: false, why: 'asked' } })).toContain(
      '\nAllocation sites per kind were not tracked (`diagnose: { sites: false }`): without that option',
    )
    expect(section({ diagnosis: made(true) })).not.toContain('not tracked')
  })
})

describe('a diagnosis run that reached the timeout is reported as such, with what was tried and what to do', () => {
  const head =
    "\n\nmemgate could not diagnose the leak: the diagnosis run reached the test's timeout of 5000 ms (the measured run took 40 ms; Vitest times each run of the body)."

  test('tracked, then untracked', () => {
    expect(section({ timedOut: { runs: [true, false] } })).toBe(
      `${head} It ran with allocation sites tracked, which makes a body many times slower, then once more without them, and reached it both times. A larger \`timeout\` gives it the time; \`diagnose: false\` skips the diagnosis.`,
    )
  })

  test('untracked from the start: because of the budget, or as asked', () => {
    expect(section({ sites: { track: false, why: 'timeout' }, timedOut: { runs: [false] } })).toBe(
      `${head} It ran without allocation sites, at full speed (tracking them would have made it slower still). A larger \`timeout\` gives it the time; \`diagnose: false\` skips the diagnosis.`,
    )
    expect(section({ sites: { track: false, why: 'asked' }, timedOut: { runs: [false] } })).toBe(
      `${head} It ran without allocation sites (\`diagnose: { sites: false }\`). A larger \`timeout\` gives it the time; \`diagnose: false\` skips the diagnosis.`,
    )
  })

  test('tracked, async: not run again', () => {
    expect(section({ timedOut: { runs: [true], async: true } })).toBe(
      `${head} It ran with allocation sites tracked, which makes a body many times slower, and was not run again without them: the body is asynchronous, and Vitest's timer does not stop it. A larger \`timeout\` gives it the time; \`diagnose: { sites: false }\` re-runs it at full speed.`,
    )
  })

  test('tracked, then untracked, which threw (the signal was aborted by then)', () => {
    const error = new Error('the test body threw when run again: This operation was aborted')
    expect(section({ timedOut: { runs: [true] }, error })).toBe(
      `${head} It ran with allocation sites tracked, which makes a body many times slower; run once more without them, after Vitest had aborted the test's \`signal\`, the test body threw when run again: This operation was aborted`,
    )
  })

  test('none of it for a re-run that threw an error of its own', () => {
    const error = new Error('the test body threw when run again: unique constraint failed')
    expect(section({ error })).toBe(
      '\n\nmemgate could not diagnose the leak: the test body threw when run again: unique constraint failed',
    )
  })
})
