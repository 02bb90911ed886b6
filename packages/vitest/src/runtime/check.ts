import type { Measurement } from '@memgate/core'
import { LeakLimitError, MemoryLimitError } from './errors.js'
import type { MemgateLimits } from './limits.js'
import { formatSites } from './sites.js'

const ALLOCATED = 'Top allocation sites (bytes allocated, freed or not)'

/** The failures of a measurement against its limits: none when every limit held. */
export function checkLimits(
  measurement: Measurement,
  limits: MemgateLimits,
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
  if (limits.leaks !== undefined && measurement.leaked > limits.leaks) {
    const sites =
      measurement.leakSites.length > 0
        ? formatSites('Where the memory still reachable was allocated', measurement.leakSites)
        : formatSites(ALLOCATED, measurement.allocationSites)
    failures.push(
      new LeakLimitError({
        limit: limits.leaks,
        reached: measurement.leaked,
        heap: measurement.leakedHeap,
        external: measurement.leakedExternal,
        sites,
      }),
    )
  }
  return failures
}
