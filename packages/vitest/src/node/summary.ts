import { relative, resolve } from 'node:path'
import { SUMMARY_VERSION, type Summary, type SummaryEntry } from '@memgate/core/internal'
import type { TestCase, TestModule } from 'vitest/node'
import type { MemgateLimits } from '../runtime/limit-types.js'
import { type FullResult, isFullResult } from '../runtime/result.js'

/** A test that timed out: its body was interrupted, so it has a verdict of its own and no figures. */
export interface TimedOutEntry {
  file: string
  name: string
  state: string
  limits: MemgateLimits
  verdict: 'timed out'
}

/** The summary, with the tests that timed out beside the measured ones (`summary.json` holds the same). */
export type MemgateSummary = Summary & { timedOut: TimedOutEntry[] }

/** The measured tests of a run, highest peak first, cut to `top`; and those that timed out, all of them. */
export function summarize(modules: readonly TestModule[], top: number, outputDir: string): MemgateSummary {
  const entries: SummaryEntry[] = []
  const timedOut: TimedOutEntry[] = []
  for (const module of modules) {
    for (const test of module.children.allTests()) {
      const result = test.meta().memgateResult
      if (result?.timedOut) timedOut.push({ ...named(test), limits: result.limits, verdict: 'timed out' })
      // With the summary on, every measured test is measured in full (no peak-only verdicts).
      else if (result && isFullResult(result)) entries.push(toEntry(test, result, outputDir))
    }
  }
  entries.sort((a, b) => b.peak - a.peak)
  return { version: SUMMARY_VERSION, measured: entries.length, top, tests: entries.slice(0, top), timedOut }
}

function named(test: TestCase): { file: string; name: string; state: string } {
  return {
    file: relative(test.project.config.root, test.module.moduleId),
    name: test.fullName,
    state: test.result().state,
  }
}

function toEntry(test: TestCase, result: FullResult, outputDir: string): SummaryEntry {
  const root = test.project.config.root
  const artifact = (path: string) => relative(outputDir, resolve(root, path))
  const entry: SummaryEntry = {
    ...named(test),
    peak: result.peak,
    allocated: result.allocated,
    leaked: result.leaked,
    limits: result.limits,
    verdict: verdict(result),
    profileKeeps: result.profileKeeps,
  }
  if (result.profile) entry.profile = artifact(result.profile)
  if (result.snapshot) entry.snapshot = artifact(result.snapshot)
  if (result.topSite) entry.topSite = { ...result.topSite, file: relative(root, result.topSite.file) }
  return entry
}

function verdict({ peak, leaked, limits }: FullResult): SummaryEntry['verdict'] {
  if (limits.peak === undefined && limits.leaks === undefined) return 'no limit'
  const overPeak = limits.peak !== undefined && peak > limits.peak
  const overLeaks = limits.leaks !== undefined && leaked > limits.leaks
  if (overPeak && overLeaks) return 'over both'
  if (overPeak) return 'over peak'
  return overLeaks ? 'over leaks' : 'within'
}
