// What a thread and its interrupting helper (interrupts-main-helper.ts, interrupts-worker-helper.ts) agree on:
// the helper's `workerData`, its first message, and the slots of the Int32Array they share.

/** What the helper is started with (`workerData`). */
export interface HelperData {
  /** The shared slots: `SLOTS` Int32 values. */
  state: SharedArrayBuffer
  /** Evaluated in the target thread on each tick; its number is the wait until the next one. */
  expression: string
  /** Ms between ticks when the tick returns no positive number. */
  interval: number
  /** The target's `threadId` (worker helper only). */
  target: number
  /** Ms to attach to the target before giving up (worker helper only). */
  attachTimeout: number
  /** A tick the main thread took longer than this to relay marks the span `STALLED` (worker helper only). */
  stallMs: number
}

/** The helper's first message: it is running and reads its commands. */
export const READY = 'ready'

// Slots of the shared Int32Array.
/** What the thread asks of the helper: IDLE, ATTACH, RUNNING or QUIT. */
export const COMMAND = 0
/** The helper's session: DETACHED, ATTACHED, or ATTACH_FAILED (worker helper). */
export const LINK = 1
/** 1 while a tick is in flight (worker helper). */
export const BUSY = 2
/** 1 when, while running, the main thread took longer than `stallMs` to relay a tick (worker helper). */
export const STALLED = 3
export const SLOTS = 4

// Commands.
/** Disconnected, waiting. */
export const IDLE = 0
/** Ticking. */
export const RUNNING = 1
/** Disconnect and end. */
export const QUIT = 2
/** Connected and attached, not ticking (worker helper). */
export const ATTACH = 3

// Links.
export const DETACHED = 0
/** Connected; for the worker helper, attached and a round trip answered. */
export const ATTACHED = 1
/** No reply within `attachTimeout` (the main thread is blocked). */
export const ATTACH_FAILED = -1

type AsyncWait = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<unknown> }

/** `Atomics.waitAsync`: in Node since 16, while TypeScript's lib declares it from ES2024 only. */
export const waitAsync = (
  Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): AsyncWait }
).waitAsync
