import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { DatabaseSession } from './session.js'

export type VariantName = 'leaky' | 'fixed'
export const VARIANTS: readonly VariantName[] = ['leaky', 'fixed']

/** The lists whose pages are cached. */
export type ListName = 'products' | 'orders'

/** Cached response bodies (JSON text) by key: `product:<id>`, `order:<id>`, `<list>?after=…&limit=…`. */
export interface ResponseCache {
  get(key: string): string | undefined
  set(key: string, body: string): void
  delete(key: string): void
  /** Drops every cached page of a list: a write changed it. */
  dropPages(list: ListName): void
  /** Entries held now. */
  readonly size: number
}

/** What differs between the leaky gateway and the fixed one: how sessions live, and the cache. */
export interface Variant {
  readonly name: VariantName
  readonly cache: ResponseCache
  /** The database session of this request. */
  sessionFor(request: FastifyRequest): DatabaseSession
  /** Adds the variant's hooks to the gateway. */
  install(app: FastifyInstance): void
  /** Sessions held now, open or not. */
  readonly sessions: number
}
