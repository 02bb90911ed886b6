// How `limitMemory()` and `limitLeaks()` tell whether the plugin is in the project: its runner (when it is
// memgate's) or its setup file runs in each test file's context before the file is collected, and marks it.
import { PluginMissingError } from '../errors.js'
import { hasMark, PLUGIN_MARK, setMark } from './marks.js'

/** Marks this context as one the plugin runs in. */
export function markPluginPresent(): void {
  setMark(PLUGIN_MARK)
}

/** Throws {@link PluginMissingError} naming `call` when the plugin did not mark this context. */
export function assertPluginPresent(call: string): void {
  if (!hasMark(PLUGIN_MARK)) throw new PluginMissingError(call)
}
