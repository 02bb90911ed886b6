import { type AllocationSite, type Frame, type FrameFilter, isUserFrame } from '../measure/profile.js'
import type { AllocationTraces, HeapSnapshot } from './types.js'

/** How a group's allocation sites are found: the same knobs as a measurement's sites. */
export interface SiteOptions {
  /** Sites per group, most bytes first. Default 3. */
  limit?: number
  /** Frames kept per site (the innermost shown one, then its callers). Default 8. */
  frames?: number
  /**
   * Which frames a site shows; bytes allocated in hidden frames count toward the nearest shown caller.
   * Default {@link isSiteFrame}.
   */
  filter?: FrameFilter
}

/**
 * The default filter of a group's sites: {@link isUserFrame} (no Node, V8 or memgate frames), and no frame
 * without a script either: a builtin such as `Array.prototype.push` growing an array is no place to look, the
 * code that called it is.
 */
export function isSiteFrame(frame: Frame): boolean {
  return frame.url !== '' && isUserFrame(frame)
}

interface Stack {
  key: string
  frames: Frame[]
}

/**
 * Turns the `trace_node_id` of snapshot nodes into allocation stacks (V8's `trace_tree`), and adds up the
 * bytes of a group by stack.
 */
export class TraceSites {
  private readonly indexById: Int32Array
  private readonly stacks = new Map<number, Stack | null>()
  private readonly frames: number
  private readonly filter: FrameFilter

  constructor(
    private readonly snapshot: HeapSnapshot,
    private readonly traces: AllocationTraces,
    options: SiteOptions = {},
  ) {
    this.frames = options.frames ?? 8
    this.filter = options.filter ?? isSiteFrame
    let max = 0
    for (const id of traces.ids) max = Math.max(max, id)
    this.indexById = new Int32Array(max + 1).fill(-1)
    traces.ids.forEach((id, index) => {
      this.indexById[id] = index
    })
  }

  /** The top sites of a group, from its bytes by trace node id. */
  top(bytesByTrace: ReadonlyMap<number, number>, limit = 3): AllocationSite[] {
    const sites = new Map<string, AllocationSite>()
    for (const [trace, bytes] of bytesByTrace) {
      const stack = this.stack(trace)
      if (!stack) continue
      const site = sites.get(stack.key)
      if (site) site.bytes += bytes
      else sites.set(stack.key, { bytes, stack: stack.frames })
    }
    return [...sites.values()].sort((a, b) => b.bytes - a.bytes).slice(0, limit)
  }

  /** The shown frames of a trace node's stack, innermost first; null when none is shown. */
  private stack(traceNodeId: number): Stack | null {
    const cached = this.stacks.get(traceNodeId)
    if (cached !== undefined) return cached
    const frames: Frame[] = []
    for (
      let index = this.indexById[traceNodeId] ?? -1;
      index >= 0 && frames.length < this.frames;
      index = this.traces.parent[index] ?? -1
    ) {
      const frame = this.frame(this.traces.functionIndex[index] as number)
      if (this.filter(frame)) frames.push(frame)
    }
    const stack =
      frames.length === 0
        ? null
        : { key: frames.map((f) => `${f.functionName}@${f.url}:${f.line}:${f.column}`).join('<'), frames }
    this.stacks.set(traceNodeId, stack)
    return stack
  }

  private frame(functionIndex: number): Frame {
    const { functions, functionFields, function: field } = this.traces
    const base = functionIndex * functionFields
    const { strings } = this.snapshot
    return {
      functionName: strings.get(functions[base + field.name] as number) || '(anonymous)',
      url: strings.get(functions[base + field.scriptName] as number) ?? '',
      // Already 1-based in the snapshot (0 when V8 did not know the position).
      line: functions[base + field.line] as number,
      column: functions[base + field.column] as number,
    }
  }
}
