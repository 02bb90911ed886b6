import type { FastifyReply } from 'fastify'

/** Sends JSON text as it is: bodies are serialized once, then cached as text. */
export function sendJson(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(body)
}
