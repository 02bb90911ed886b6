import type { FastifyInstance, FastifyRequest } from 'fastify'
import { DatabaseSession } from '../session.js'
import type { Store } from '../store.js'

/**
 * Request-scoped sessions: a request's session is found through the request itself (a WeakMap, so a session
 * never outlives its request) and closed when the response has been sent or the client went away.
 */
export class RequestSessions {
  readonly #sessions = new WeakMap<FastifyRequest, DatabaseSession>()
  #open = 0

  constructor(private readonly queries: Store) {}

  /** Sessions opened and not closed yet: the requests in flight that queried the database. */
  get open(): number {
    return this.#open
  }

  sessionFor(request: FastifyRequest): DatabaseSession {
    let session = this.#sessions.get(request)
    if (!session) {
      session = new DatabaseSession(request.id, this.queries)
      this.#sessions.set(request, session)
      this.#open++
    }
    return session
  }

  install(app: FastifyInstance): void {
    const close = async (request: FastifyRequest) => {
      const session = this.#sessions.get(request)
      if (!session) return
      this.#sessions.delete(request)
      session.close()
      this.#open--
    }
    app.addHook('onResponse', close)
    app.addHook('onRequestAbort', close)
  }
}
