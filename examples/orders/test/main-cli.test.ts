import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

// From the example's folder, as `pnpm serve` runs it (that is where `tsx` resolves).
function serve(...args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

test('`serve` starts a gateway, answers on its port, and exits 0 on SIGTERM', async () => {
  const child = serve('--variant', 'leaky', '--port', '0')
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout }), 'line'),
    once(child, 'exit').then(([code]) => [`exited with code ${code}`]),
  ])) as [string]
  expect(line).toMatch(/^leaky gateway listening on http:\/\/127\.0\.0\.1:\d+ \(database :memory:\)$/)
  const url = line.split(' ')[4]
  const created = await fetch(`${url}/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'a', title: 'A', priceCents: 1 }),
  })
  expect(created.status).toBe(201)
  expect(await (await fetch(`${url}/stats`)).json()).toMatchObject({ variant: 'leaky' })
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  expect(code).toBe(0)
})

test.for([
  [['--variant', 'fast'], 'Unknown gateway variant "fast"; use one of: leaky, fixed'],
  [['--port', '70000'], '--port must be a whole number from 0 to 65535, got "70000"'],
  [['--colour'], "Unknown option '--colour'"],
])('`serve %s` exits with code 2 and says why', async ([args, reason]) => {
  const child = serve(...(args as string[]))
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const [code] = await once(child, 'exit')
  expect(code).toBe(2)
  expect(stderr).toContain(reason)
  expect(stderr).toContain('Usage: serve [--variant fixed|leaky]')
})
