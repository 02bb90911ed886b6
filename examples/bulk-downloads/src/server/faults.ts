/**
 * What the media server can do to one request instead of answering it well:
 * - `404`, `500`, `503`: that status and a short text body;
 * - `reset`: the headers and half the body, then a TCP reset (ECONNRESET on the client);
 * - `trickle`: the whole body, a small piece at a time with pauses (see the server's `trickle` option);
 * - `wrong-magic`: status 200 and the full length, but an HTML page instead of the media file;
 * - `stall`: the headers and half the body, then nothing until the client gives up.
 */
export type Fault = '404' | '500' | '503' | 'reset' | 'trickle' | 'wrong-magic' | 'stall'

export const FAULTS: readonly Fault[] = ['404', '500', '503', 'reset', 'trickle', 'wrong-magic', 'stall']

export function isFault(value: string): value is Fault {
  return (FAULTS as readonly string[]).includes(value)
}

/** Faults waiting per path, consumed one per request in order; the requests after them are answered well. */
export class FaultPlan {
  readonly #queues = new Map<string, Fault[]>()

  add(path: string, faults: Fault[]): void {
    this.#queues.set(path, [...(this.#queues.get(path) ?? []), ...faults])
  }

  /** The fault for the next request to `path`, if one is waiting. */
  take(path: string): Fault | undefined {
    const queue = this.#queues.get(path)
    const fault = queue?.shift()
    if (queue?.length === 0) this.#queues.delete(path)
    return fault
  }

  clear(): void {
    this.#queues.clear()
  }
}

/**
 * Reads `--fault` values of the server's command line: `<path>=<fault>[,<fault>…]`, e.g.
 * `/videos/zdfIZPJfEZx.mp4=500,reset`.
 */
export function parseFaultSpec(spec: string): { path: string; faults: Fault[] } {
  const at = spec.lastIndexOf('=')
  const path = spec.slice(0, at)
  const faults = spec.slice(at + 1).split(',')
  const unknown = faults.filter((fault) => !isFault(fault))
  if (at <= 0 || !path.startsWith('/') || unknown.length > 0 || faults.length === 0) {
    throw new Error(
      `Cannot read the fault ${JSON.stringify(spec)}: write <path>=<fault>[,<fault>…] with a path starting ` +
        `with / and faults among ${FAULTS.join(', ')}, e.g. /videos/zdfIZPJfEZx.mp4=500,reset`,
    )
  }
  return { path, faults: faults as Fault[] }
}
