// The next-number server's /docs page and /openapi.json, as a user gets them: the server started the way
// `pnpm serve` starts it (src/servers/main.ts, a process of its own) and fetched over loopback.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'

let child: ChildProcess | undefined
let url = ''

beforeAll(async () => {
  const main = fileURLToPath(new URL('../src/servers/main.ts', import.meta.url))
  child = spawn(process.execPath, ['--import', 'tsx', main, 'next-number', '--port', '0'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  })
  const [line] = (await once(child.stdout ?? child, 'data')) as [Buffer]
  url = /http:\/\/[^/]+/.exec(line.toString())?.[0] ?? ''
  expect(url, `the server printed: ${line}`).not.toBe('')
})
afterAll(async () => {
  child?.kill('SIGTERM')
  if (child && child.exitCode === null) await once(child, 'exit')
})

interface OpenApi {
  openapi: string
  info: { title: string }
  paths: Record<string, Record<string, { summary: string; responses: Record<string, unknown> }>>
}

test('GET /docs is an HTML page naming every path and method, and does not advance the sequence', async () => {
  const page = await fetch(`${url}/docs`)
  expect(page.status).toBe(200)
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
  const html = await page.text()
  expect(html).toMatch(/^<!doctype html>/)
  expect(html).toContain('<title>Fibonacci next-number server — API</title>')
  for (const path of ['/', '/health', '/docs', '/openapi.json']) {
    expect(html).toContain(`<span class="method">GET</span> <code>${path}</code>`)
    expect(html).toContain(`<span class="method">HEAD</span> <code>${path}</code>`)
  }
  expect(html).toContain('<a href="/openapi.json">')
  // Self-contained: nothing fetched from elsewhere.
  expect(html).not.toMatch(/<script|<link|src=/)
  expect((await (await fetch(`${url}/`)).text()).trim()).toBe('0')
})

test('GET /openapi.json describes exactly what the server answers', async () => {
  const response = await fetch(`${url}/openapi.json`)
  expect(response.status).toBe(200)
  const document = (await response.json()) as OpenApi
  expect(document.openapi).toMatch(/^3\.0\./)
  expect(Object.keys(document.paths)).toEqual(['/', '/health', '/docs', '/openapi.json'])
  for (const [path, operations] of Object.entries(document.paths)) {
    expect(Object.keys(operations), path).toEqual(['get', 'head'])
    for (const method of ['GET', 'HEAD']) {
      const answer = await fetch(`${url}${path}`, { method })
      expect(answer.status, `${method} ${path}`).toBe(200)
      await answer.arrayBuffer()
    }
    const refused = await fetch(`${url}${path}`, { method: 'POST' })
    expect(refused.status, `POST ${path}`).toBe(405)
    expect(Object.keys(operations.get?.responses ?? {}), path).toEqual(['200', '405'])
    await refused.arrayBuffer()
  }
  // The first test took 0; GET / and HEAD / above took 1 and 1; no other request advanced it.
  expect((await (await fetch(`${url}/`)).text()).trim()).toBe('2')
})

test('an undocumented path is still a 404', async () => {
  const missing = await fetch(`${url}/doc`)
  expect(missing.status).toBe(404)
  expect(await missing.json()).toEqual({ error: 'No such path: /doc' })
})
