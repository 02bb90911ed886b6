import type { Measurement } from '@memgate/core'
import { LeakLimitError, MemoryLimitError } from '../errors.js'
import type { LeakReading } from './leak-check.js'
import type { MemgateLimits } from './limit-types.js'
import { formatSites } from './sites.js'

const ALLOCATED = 'Top allocation sites (bytes allocated, freed or not)'

/**
 * The failures of a measurement against its limits: none when every limit held. The leak limit is held
 * against `leak` (per run when the body ran more than once), before any `ignore` filter.
 */
export function checkLimits(
  measurement: Measurement,
  limits: MemgateLimits,
  leak: LeakReading,
): (MemoryLimitError | LeakLimitError)[] {
  const failures: (MemoryLimitError | LeakLimitError)[] = []
  if (limits.peak !== undefined && measurement.peak > limits.peak) {
    failures.push(
      new MemoryLimitError({
        limit: limits.peak,
        reached: measurement.peak,
        heap: measurement.peakHeap,
        external: measurement.peakExternal,
        sites: formatSites(ALLOCATED, measurement.allocationSites),
      }),
    )
  }
  if (limits.leaks !== undefined && leak.perRun > limits.leaks) {
    const runs = leak.runs > 1 ? `, sampled over runs 2–${leak.runs}` : ''
    const sites =
      leak.judged.leakSites.length > 0
        ? formatSites(
            `Where the memory still reachable was allocated (all kinds together${runs})`,
            leak.judged.leakSites,
          )
        : formatSites(ALLOCATED, measurement.allocationSites)
    failures.push(
      new LeakLimitError({
        limit: limits.leaks,
        reached: leak.perRun,
        heap: leak.perRunHeap,
        external: leak.perRunExternal,
        runs: leak.runs,
        total: leak.judged.leaked,
        ...(leak.firstRun !== undefined ? { firstRun: leak.firstRun } : {}),
        sites,
        sections: '',
      }),
    )
  }
  return failures
}
