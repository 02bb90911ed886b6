import type { FastifyError, FastifyInstance } from 'fastify'
import { HttpError } from '../errors.js'

type ValidationIssue = NonNullable<FastifyError['validation']>[number]

/** Every error as `{ error: CODE, message }`, with messages that name the field and say what it must be. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({ error: error.code, message: error.message })
    }
    if (error.validation) {
      const context = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? '')
      const message = error.validation.map((issue) => describe(context, issue)).join('; ')
      return reply.code(400).send({ error: 'INVALID_REQUEST', message })
    }
    const status = error.statusCode ?? 500
    if (status < 500) return reply.code(status).send({ error: error.code, message: error.message })
    request.log.error(error)
    return reply.code(500).send({ error: 'INTERNAL_ERROR', message: 'The gateway failed; see its log' })
  })
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'NO_ROUTE', message: `No route for ${request.method} ${request.url}` }),
  )
}

function describe(context: string, issue: ValidationIssue): string {
  // "/lines/0/quantity" reads as "lines[0].quantity".
  const path = issue.instancePath.replace(/\/(\d+)/g, '[$1]').replaceAll('/', '.')
  const where = `${context}${path}`
  const params = issue.params as Record<string, unknown>
  switch (issue.keyword) {
    case 'required':
      return `${where}.${String(params.missingProperty)} is required`
    case 'additionalProperties':
      return `${where} has an unknown property "${String(params.additionalProperty)}"; remove it`
    case 'pattern':
      return `${where} must be 1 to 64 letters, digits, "_" or "-"`
    default:
      return `${where} ${issue.message ?? 'is invalid'}`
  }
}
