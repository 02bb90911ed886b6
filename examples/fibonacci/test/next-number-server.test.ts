import { spawn } from 'node:child_process'
import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { createNextNumberServer } from '../src/servers/next-number.js'

let server: Server | undefined
afterEach(() => server?.close())

async function start(): Promise<string> {
  server = createNextNumberServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('the next-number server', () => {
  test('answers 0, 1, 1, 2, 3, … on successive GETs', async () => {
    const url = await start()
    const answers: string[] = []
    for (let i = 0; i < 12; i++) answers.push((await (await fetch(`${url}/`)).text()).trim())
    expect(answers).toEqual(['0', '1', '1', '2', '3', '5', '8', '13', '21', '34', '55', '89'])
  })

  test('reports its health without advancing the sequence', async () => {
    const url = await start()
    const health = await fetch(`${url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    expect((await (await fetch(url)).text()).trim()).toBe('0')
  })

  test('refuses other methods with 405 and unknown paths with 404', async () => {
    const url = await start()
    const post = await fetch(url, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    expect(await post.json()).toEqual({ error: 'POST is not allowed; use GET' })
    const missing = await fetch(`${url}/nope`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error: 'No such path: /nope' })
  })

  test('stops cleanly on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../src/servers/main.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'next-number', '--port', '0'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    })
    const [line] = (await once(child.stdout, 'data')) as [Buffer]
    const url = /http:\/\/[^/]+\//.exec(line.toString())?.[0]
    expect(url).toBeDefined()
    expect((await (await fetch(url ?? '')).text()).trim()).toBe('0')
    child.kill('SIGTERM')
    const [code, signal] = await once(child, 'exit')
    expect({ code, signal }).toEqual({ code: 0, signal: null })
  })
})
