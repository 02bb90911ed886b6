// Marks memgate's runtime leaves on the global of a test file's context. Globals, not module state: in the vm
// pools the runner, the setup file and the test file share the vm context's global, whatever module instances
// they get. This module imports nothing, so the runner stays light for a file that measures nothing.

/** Set by a memgate runner when it is made, so the setup file can tell a project whose runner is another. */
export const RUNNER_MARK = Symbol.for('memgate.runner')
/** Set where the plugin runs (its runner or its setup file), so `limitMemory()` can tell that it is missing. */
export const PLUGIN_MARK = Symbol.for('memgate.plugin')

export function setMark(mark: symbol): void {
  ;(globalThis as Record<symbol, unknown>)[mark] = true
}

export function hasMark(mark: symbol): boolean {
  return (globalThis as Record<symbol, unknown>)[mark] === true
}
