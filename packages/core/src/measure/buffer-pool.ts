import { Buffer } from 'node:buffer'

/**
 * Makes Node start a new Buffer pool now, with nothing of anyone's in it.
 *
 * Node hands out small Buffers (`Buffer.from(string)`, `allocUnsafe`) as slices of a shared pool
 * (`Buffer.poolSize`: 8 KiB on Node 20, 64 KiB on Node 24) and starts a new pool when the current one is full.
 * A pool lives as long as any slice of it. If a span starts on a pool in which something older keeps a slice
 * (a header cached by an HTTP client), the span's first Buffers fill that pool, Node starts a new one, and
 * the old pool stays alive with the new one beside it: a whole pool (64 KiB) reads as the span's leak though
 * the span keeps nothing. Started on a fresh pool, a span is charged for a pool only when its own code keeps
 * a slice of it (which does keep the whole pool alive).
 */
export function renewBufferPool(): void {
  const half = Buffer.poolSize >>> 1
  // Node pools only Buffers smaller than half a pool: with a tiny or no pool there is nothing to renew.
  if (half < 64) return
  // Each allocation takes just under half a pool, so the third at the latest does not fit and makes a new
  // pool; stop at the first one that did.
  const first = Buffer.allocUnsafe(half - 32).buffer
  for (let i = 0; i < 2; i++) if (Buffer.allocUnsafe(half - 32).buffer !== first) return
}
