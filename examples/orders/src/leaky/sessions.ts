import type { FastifyRequest } from 'fastify'
import { DatabaseSession } from '../session.js'
import type { Store } from '../store.js'

/**
 * A scoped-session registry: the first query of a request opens a session, later ones find it again by the
 * request's id. Nothing ever closes a session or takes it out of the registry — so every request's session
 * and the rows it loaded stay reachable, and finding a session scans every request served so far.
 */
export class SessionRegistry {
  readonly sessions: DatabaseSession[] = []

  constructor(private readonly queries: Store) {}

  sessionFor(request: FastifyRequest): DatabaseSession {
    let session = this.sessions.find((candidate) => candidate.requestId === request.id)
    if (!session) {
      session = new DatabaseSession(request.id, this.queries)
      this.sessions.push(session)
    }
    return session
  }
}
