import assert from 'node:assert'
import type { Session } from 'node:inspector'

/**
 * Sends a request on an inspector session connected to this thread. Such a session answers synchronously,
 * which lets memgate stop profilers in an `exit` handler: this returns the answer or throws the error.
 */
export function postNow(session: Session, method: string, params?: object): unknown {
  let answer: { error: Error | null; result: unknown } | undefined
  session.post(method, params ?? {}, (error, result) => {
    answer = { error, result }
  })
  // A session connected to its own thread answers before `post` returns.
  assert(answer, `memgate: the inspector did not answer ${method} synchronously`)
  if (answer.error) throw answer.error
  return answer.result
}
