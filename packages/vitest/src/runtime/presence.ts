// How `limitMemory()` and `limitLeaks()` tell whether the plugin is in the project: its setup file runs in each
// test file's context before the file is collected, and marks that context. A global, not module state: in
// the vm pools the file and the setup file share the vm context's global, whatever module instances they get.
import { PluginMissingError } from '../errors.js'

const PLUGIN_MARK = Symbol.for('memgate.plugin')

/** Marks this context as one the plugin's setup file ran in. */
export function markPluginPresent(): void {
  ;(globalThis as Record<symbol, unknown>)[PLUGIN_MARK] = true
}

/** Throws {@link PluginMissingError} naming `call` when the plugin's setup file did not run here. */
export function assertPluginPresent(call: string): void {
  if ((globalThis as Record<symbol, unknown>)[PLUGIN_MARK] !== true) throw new PluginMissingError(call)
}
