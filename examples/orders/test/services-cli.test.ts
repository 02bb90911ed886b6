// `pnpm service <name>` as a user runs it: each service prints where it listens (port 0: a free one), the three
// find each other by the URLs given, and bad options exit 2 saying why.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { spawnService } from '../src/services/launch.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

test('three `service` processes, started by hand, answer an order through the gateway, and exit 0', async () => {
  const products = await spawnService('products')
  const orders = await spawnService('orders', ['--cache', 'local'])
  const gateway = await spawnService('gateway', ['--products', products.url, '--orders', orders.url])
  try {
    expect(new Set([products.url, orders.url, gateway.url]).size).toBe(3)
    const post = (path: string, body: unknown) =>
      fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    expect((await post('/products', { id: 'a', title: 'A', priceCents: 7 })).status).toBe(201)
    expect(await (await post('/orders', { lines: [{ productId: 'a', quantity: 3 }] })).json()).toMatchObject({
      id: 1,
      totalCents: 21,
    })
    // The order is the orders service's, the product the products service's: each has its own database.
    expect(await (await fetch(`${orders.url}/orders/1`)).json()).toMatchObject({ lines: [{ priceCents: 7 }] })
    expect((await fetch(`${orders.url}/products/a`)).status).toBe(404)
    // Asked directly, a service answers errors as the gateway does.
    expect(await (await fetch(`${orders.url}/orders/9`)).json()).toEqual({
      error: 'ORDER_NOT_FOUND',
      message: 'No order with id 9',
    })
    const again = await fetch(`${products.url}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'a', title: 'A', priceCents: 7 }),
    })
    expect([again.status, ((await again.json()) as { error: string }).error]).toEqual([409, 'PRODUCT_EXISTS'])
    expect(await (await fetch(`${orders.url}/stats`)).json()).toMatchObject({ cache: 'local' })
  } finally {
    expect([await gateway.stop(), await orders.stop(), await products.stop()]).toEqual([0, 0, 0])
  }
})

test.for([
  [[], 'Name one service, one of: products, orders, gateway; got ""'],
  [['billing'], 'Name one service, one of: products, orders, gateway; got "billing"'],
  [['orders', '--cache', 'memcached'], '--cache must be one of none, local, redis, got "memcached"'],
  [['orders', '--cache', 'redis', '--redis', 'redis://127.0.0.1:1'], 'No Redis at redis://127.0.0.1:1 ('],
  [['gateway', '--products', 'http://127.0.0.1:1'], 'The gateway needs --products URL and --orders URL'],
  [['products', '--port', 'x'], '--port must be a whole number from 0 to 65535, got "x"'],
])('`service %s` exits with code 2 and says why', async ([args, reason]) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/services/main.ts', ...(args as string[])], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const [code] = await once(child, 'exit')
  expect(code).toBe(2)
  expect(stderr).toContain(reason)
  expect(stderr).toContain('Usage: service products|orders|gateway')
})
