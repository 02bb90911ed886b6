import { EXTERNAL_FRAME, type HeapProfile, type HeapProfileNode } from './profile.js'

/** One sample per this many bytes of external memory, on average; each costs one stack capture (~20 µs). */
const INTERVAL = 256 * 1024
/** Frames captured per stack: enough to reach the user's code below a test runner's own frames. */
const DEPTH = 64

interface CallSiteLike {
  getFunctionName(): string | null
  getMethodName(): string | null
  getScriptNameOrSourceURL(): string | null
  getEnclosingLineNumber?(): number | null
  getEnclosingColumnNumber?(): number | null
  getLineNumber(): number | null
  getColumnNumber(): number | null
}

type CallFrame = HeapProfileNode['callFrame']

/**
 * Stacks of the external memory (Buffers, typed arrays' backing stores) allocated in a span, which V8's
 * sampling heap profiler does not see: it samples the JS heap, where a 30 MB `Float64Array` is a 100-byte
 * object. Two sources: the pacer's hooks report each allocation they see, on the stack that made it; for
 * the rest (`new Float64Array(n)`, native code), each look of the heap pacing's helper thread attributes the
 * growth of external memory since the one before, less what the hooks reported, to the code it interrupted —
 * the right function, at the statement running then (for `new Float64Array(n).fill(1)`, the `fill`).
 * Both are sampled: about one stack per {@link INTERVAL} bytes, weighted by the bytes since the last one.
 */
export interface ExternalSites {
  /** An allocation of `bytes` that a pacing hook saw, made by the code now on the stack. */
  allocated(bytes: number): void
  /** A look at external memory from the helper thread's tick, which runs on top of the interrupted code. */
  looked(external: number): void
  /** Adds what was sampled to `profile`, each stack's bytes under an {@link EXTERNAL_FRAME} node. */
  addTo(profile: HeapProfile): { bytes: number }
}

/** Distinct stacks kept; bytes sampled on more stacks than this are added to the last one's. */
const STACKS = 64
/** Slots of one frame in the frame table: function name, URL, line, column. */
const SLOTS = 4

/**
 * Starts recording. Everything the recorder keeps is allocated here, before the span's baseline, and only
 * filled in during the span: what it made then and still held would read as the measured code's leak. The
 * frames' strings are V8's own (function and script names), so storing them allocates nothing.
 */
export function recordExternalSites(): ExternalSites {
  const frames: unknown[] = new Array(STACKS * DEPTH * SLOTS).fill(null)
  const depths = new Int32Array(STACKS)
  const bytes = new Float64Array(STACKS)
  // pending bytes, external at the last look (NaN before the first), hooked bytes since it, stacks used.
  const state = new Float64Array([0, Number.NaN, 0, 0])

  const keep = (all: CallSiteLike[]) => {
    // Frames with no script are builtins (an interrupted `get length`) and the inspector's expression that
    // calls the tick: left out, as sites are matched without them (profile.ts).
    const sites = all.filter((site) => site.getScriptNameOrSourceURL())
    const depth = Math.min(sites.length, DEPTH)
    const used = state[3] ?? 0
    let slot = 0
    for (; slot < used; slot++) if (sameStack(slot, sites, depth)) break
    if (slot === used) {
      if (slot === STACKS) slot = STACKS - 1
      else {
        state[3] = slot + 1
        depths[slot] = depth
        for (let i = 0; i < depth; i++) writeFrame(slot, i, sites[i] as CallSiteLike)
      }
    }
    bytes[slot] = (bytes[slot] ?? 0) + (state[0] ?? 0)
    state[0] = 0
  }
  const sameStack = (slot: number, sites: CallSiteLike[], depth: number) => {
    if (depths[slot] !== depth) return false
    for (let i = 0; i < depth; i++) {
      const at = (slot * DEPTH + i) * SLOTS
      const site = sites[i] as CallSiteLike
      if (frames[at] !== functionNameOf(site) || frames[at + 1] !== site.getScriptNameOrSourceURL())
        return false
      if (frames[at + 2] !== lineOf(site) || frames[at + 3] !== columnOf(site)) return false
    }
    return true
  }
  const writeFrame = (slot: number, i: number, site: CallSiteLike) => {
    const at = (slot * DEPTH + i) * SLOTS
    frames[at] = functionNameOf(site)
    frames[at + 1] = site.getScriptNameOrSourceURL()
    frames[at + 2] = lineOf(site)
    frames[at + 3] = columnOf(site)
  }
  const sample = (size: number) => {
    state[0] = (state[0] ?? 0) + size
    if ((state[0] ?? 0) >= INTERVAL) keep(captureSites())
  }

  return {
    allocated(size) {
      state[2] = (state[2] ?? 0) + size
      sample(size)
    },
    looked(external) {
      const last = state[1] ?? Number.NaN
      const unseen = external - last - (state[2] ?? 0)
      state[1] = external
      state[2] = 0
      if (unseen > 0) sample(unseen)
    },
    addTo(profile) {
      let total = 0
      let nextId = maxId(profile.head) + 1
      for (let slot = 0; slot < (state[3] ?? 0); slot++) {
        let node = profile.head
        const stack: CallFrame[] = []
        for (let i = depths[slot] ?? 0; i-- > 0; ) {
          const at = (slot * DEPTH + i) * SLOTS
          stack.push({
            functionName: String(frames[at] ?? ''),
            scriptId: '0',
            url: String(frames[at + 1] ?? ''),
            lineNumber: Number(frames[at + 2]) - 1,
            columnNumber: Number(frames[at + 3]) - 1,
          })
        }
        for (const callFrame of [...stack, externalFrame]) {
          // By line: V8's profile places a function at its parameters' start, a call site at its first token.
          let child = node.children.find((c) => sameLine(c.callFrame, callFrame))
          if (!child) {
            child = { callFrame, selfSize: 0, id: nextId++, children: [] }
            node.children.push(child)
          }
          node = child
        }
        node.selfSize += bytes[slot] ?? 0
        total += bytes[slot] ?? 0
      }
      return { bytes: total }
    },
  }
}

const externalFrame: CallFrame = {
  functionName: EXTERNAL_FRAME,
  scriptId: '0',
  url: '',
  lineNumber: -1,
  columnNumber: -1,
}

const sameLine = (a: CallFrame, b: CallFrame) =>
  a.functionName === b.functionName && a.url === b.url && a.lineNumber === b.lineNumber

function maxId(head: HeapProfileNode): number {
  let max = head.id
  const pending = [head]
  for (let node = pending.pop(); node; node = pending.pop()) {
    max = Math.max(max, node.id)
    pending.push(...node.children)
  }
  return max
}

/** The JS stack now, innermost frame first, as V8's call sites. */
function captureSites(): CallSiteLike[] {
  const { prepareStackTrace, stackTraceLimit } = Error
  const holder: { stack?: unknown } = {}
  try {
    Error.stackTraceLimit = DEPTH
    Error.prepareStackTrace = (_, sites) => sites
    Error.captureStackTrace(holder, captureSites)
    // Read here: V8 formats the stack on its first read, with the `prepareStackTrace` of that moment.
    const sites = holder.stack
    return Array.isArray(sites) ? (sites as CallSiteLike[]) : []
  } finally {
    Error.prepareStackTrace = prepareStackTrace
    Error.stackTraceLimit = stackTraceLimit
  }
}

// As V8's profiles name a frame: the function's own name, else the method's; a function with no name is ''.
// Its position is the function's start (1-based here), as in the profile's call frames, so these stacks
// merge with the heap's own.
const functionNameOf = (site: CallSiteLike) => site.getFunctionName() ?? site.getMethodName() ?? ''
const lineOf = (site: CallSiteLike) => site.getEnclosingLineNumber?.() ?? site.getLineNumber() ?? 0
const columnOf = (site: CallSiteLike) => site.getEnclosingColumnNumber?.() ?? site.getColumnNumber() ?? 0
