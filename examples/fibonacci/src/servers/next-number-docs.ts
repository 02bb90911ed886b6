// The next-number server's API description, served as `GET /openapi.json` (OpenAPI 3.0) and rendered as the
// `GET /docs` page — the seed's FastAPI server has both. One object feeds both, so the page cannot drift
// from the description; the page is self-contained (no script, no stylesheet from elsewhere).

interface Operation {
  summary: string
  description: string
  responses: Record<string, { description: string; content?: Record<string, object> }>
}

const text = { 'text/plain': { schema: { type: 'string', example: '13\n' } } }
const html = { 'text/html': { schema: { type: 'string' } } }
const jsonOf = (schema: object) => ({ 'application/json': { schema } })
const status = jsonOf({ type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } })
const error = jsonOf({ type: 'object', properties: { error: { type: 'string' } } })
const refused = {
  '405': { description: 'Another method than GET or HEAD; the `Allow` header lists them.', content: error },
}

const paths: Record<string, Record<'get' | 'head', Operation>> = {
  '/': {
    get: {
      summary: 'The next Fibonacci number',
      description:
        'Answers the next number of one sequence shared by every client — 0, then 1, 1, 2, 3, … — as text on one line.',
      responses: { '200': { description: 'The next number.', content: text }, ...refused },
    },
    head: {
      summary: 'Advance without a body',
      description: 'Advances the sequence like GET, and sends the headers only.',
      responses: { '200': { description: 'The headers of the next number.' } },
    },
  },
  '/health': {
    get: {
      summary: 'Liveness',
      description: 'Answers `{"status":"ok"}`; does not advance the sequence.',
      responses: { '200': { description: 'The server is up.', content: status }, ...refused },
    },
    head: {
      summary: 'Liveness, headers only',
      description: 'As GET, without the body.',
      responses: { '200': { description: 'The server is up.' } },
    },
  },
  '/docs': {
    get: {
      summary: 'This page',
      description: 'The API, as HTML; does not advance the sequence.',
      responses: { '200': { description: 'The page.', content: html }, ...refused },
    },
    head: {
      summary: 'This page, headers only',
      description: 'As GET, without the body.',
      responses: { '200': { description: 'The headers of the page.' } },
    },
  },
  '/openapi.json': {
    get: {
      summary: 'This description',
      description: 'The API as an OpenAPI 3.0 document; does not advance the sequence.',
      responses: { '200': { description: 'The document.', content: jsonOf({ type: 'object' }) }, ...refused },
    },
    head: {
      summary: 'This description, headers only',
      description: 'As GET, without the body.',
      responses: { '200': { description: 'The headers of the document.' } },
    },
  },
}

/** The paths the server answers; any other is a 404. */
export const DOCUMENTED_PATHS = Object.keys(paths)

/** The API description: an OpenAPI 3.0 document. */
export const openApi = {
  openapi: '3.0.3',
  info: {
    title: 'Fibonacci next-number server',
    version: '1.0.0',
    description:
      'Answers the next Fibonacci number on each GET /. One process, one sequence; the server keeps two numbers, however far it goes.',
  },
  paths,
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c)

/** The `/docs` page: every path and method of `openApi`, with its responses. */
export function docsPage(): string {
  const sections = Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const responses = Object.entries(operation.responses)
        .map(([code, response]) => {
          const types = Object.keys(response.content ?? {}).join(', ')
          return `<li><b>${code}</b> ${escapeHtml(response.description)}${types ? ` <code>${escapeHtml(types)}</code>` : ''}</li>`
        })
        .join('')
      return `<section><h2><span class="method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> — ${escapeHtml(operation.summary)}</h2><p>${escapeHtml(operation.description)}</p><ul>${responses}</ul></section>`
    }),
  )
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(openApi.info.title)} — API</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}h2{font-size:1.1rem;margin-top:1.5rem}.method{display:inline-block;min-width:3.5rem;font-family:monospace;color:#fff;background:#2563eb;border-radius:4px;padding:0 .4rem;text-align:center}</style>
</head>
<body>
<h1>${escapeHtml(openApi.info.title)}</h1>
<p>${escapeHtml(openApi.info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${openApi.openapi}).</p>
${sections.join('\n')}
</body>
</html>
`
}
