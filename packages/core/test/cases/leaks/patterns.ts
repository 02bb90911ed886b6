import { EventEmitter } from 'node:events'

// Real leak patterns, each with the holder a developer would look for, and a leak-free twin.

export class Session {
  constructor(
    readonly id: number,
    readonly user = `user-${id}`,
  ) {}
}

/** An array on a module-level object, growing per call. */
export const ordersService = { sessions: [] as Session[] }
export function openSession(id: number): Session {
  const session = new Session(id)
  ordersService.sessions.push(session)
  return session
}

/** An unbounded Map cache. */
export class PriceQuote {
  constructor(readonly sku: string) {}
}
const quoteCache = new Map<string, PriceQuote>()
export function quote(sku: string): PriceQuote {
  let hit = quoteCache.get(sku)
  if (!hit) {
    hit = new PriceQuote(sku)
    quoteCache.set(sku, hit)
  }
  return hit
}
export const clearQuotes = () => quoteCache.clear()

/** Twin: a WeakMap cache keyed by the caller's object. */
const weakQuotes = new WeakMap<object, PriceQuote>()
export function quoteWeak(key: object, sku: string): PriceQuote {
  let hit = weakQuotes.get(key)
  if (!hit) {
    hit = new PriceQuote(sku)
    weakQuotes.set(key, hit)
  }
  return hit
}

/** Twin: a bounded LRU (at most 10 entries, filled before the test by `warmLru`). */
const lru = new Map<string, PriceQuote>()
export function quoteLru(sku: string): PriceQuote {
  let hit = lru.get(sku)
  if (hit) lru.delete(sku)
  else hit = new PriceQuote(sku)
  lru.set(sku, hit)
  if (lru.size > 10) lru.delete(lru.keys().next().value as string)
  return hit
}

/** A listener added to a long-lived EventEmitter and never removed. */
export const appEvents = new EventEmitter()
appEvents.setMaxListeners(0)
export class OrderView {
  readonly rows = [1, 2, 3]
}
export function mountView(removeAfter: boolean): void {
  const view = new OrderView()
  const onOrderUpdated = () => view.rows.length
  appEvents.on('order-updated', onOrderUpdated)
  if (removeAfter) appEvents.off('order-updated', onOrderUpdated)
}
export const clearViews = () => appEvents.removeAllListeners()

/** A setInterval whose callback closes over data and is never cleared. */
export class MetricsBuffer {
  readonly points: number[] = []
}
export const timers: ReturnType<typeof setInterval>[] = []
export function startPolling(clear: boolean): void {
  const metrics = new MetricsBuffer()
  const timer = setInterval(function poll() {
    metrics.points.push(Date.now())
  }, 60_000)
  if (clear) clearInterval(timer)
  else timers.push(timer)
}
export function clearTimers(): void {
  for (const timer of timers.splice(0)) clearInterval(timer)
}

/** A class with a static registry. */
export class Connection {
  static readonly registry: Connection[] = []
  constructor(readonly host: string) {
    Connection.registry.push(this)
  }
}

/** A closure kept alive by a stored callback. */
export class RequestContext {
  readonly headers = { accept: 'json' }
}
const retryCallbacks: (() => unknown)[] = []
export function scheduleRetry(): void {
  const context = new RequestContext()
  retryCallbacks.push(function retry() {
    return context.headers
  })
}
export const clearRetries = () => retryCallbacks.splice(0)

/** Twin: a one-time lazy init (the first call fills it; leaving it filled is not a leak of later calls). */
let catalogue: PriceQuote[] | undefined
export function loadCatalogue(): PriceQuote[] {
  catalogue ??= Array.from({ length: 20 }, (_, i) => new PriceQuote(`sku-${i}`))
  return catalogue
}
