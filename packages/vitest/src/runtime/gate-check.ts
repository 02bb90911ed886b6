import { relative } from 'node:path'
import type { RunnerTestCase as Test } from 'vitest'
import { MemoryRegressionError, NotInBaselineError } from '../errors.js'
import { compare, describeGrowth, gatedFigures, testId } from './gate.js'
import { isMeasuredResult } from './result.js'
import type { GateSettings } from './settings.js'

/** Throws when a measured test grew beyond the tolerance over its baseline entry (or, if asked, has none). */
export function checkGate(test: Test, gate: GateSettings, root: string): void {
  const result = test.meta.memgateResult
  // A test that timed out has no figures (and failed: this check is for passing tests).
  if (!result || !isMeasuredResult(result)) return
  const id = testId(gate.project, relative(root, test.file.filepath), test.fullTestName)
  const entry = gate.entries[id]
  if (!entry) {
    if (gate.failOnNew) throw new NotInBaselineError(id, gate.baselineFile)
    return
  }
  const current = gatedFigures(result)
  const growths = compare(current, entry, gate.tolerance)
    .filter((comparison) => comparison.change === 'grew')
    .map((comparison) => describeGrowth(comparison, gate.tolerance))
  if (growths.length > 0) throw new MemoryRegressionError(growths, gate.baselineFile)
}
