// A module whose cache comes after variables holding small integers: in a block scope V8's snapshot numbers
// the slots that hold heap objects only, so the ScopeInfo's list of names is off by the integers before.

export class Entry {
  constructor(readonly key: string) {}
}
let calls = 0
let misses = 0
const seen = new Map<string, Entry>()
export function remember(key: string): Entry {
  calls++
  let entry = seen.get(key)
  if (!entry) {
    misses++
    entry = new Entry(key)
    seen.set(key, entry)
  }
  return entry
}
export const forget = () => seen.clear()
export const counts = () => ({ calls, misses })
