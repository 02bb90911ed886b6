import { expect } from 'vitest'
import type { Answer } from './client.js'

type Call = (method: string, path: string, body?: unknown) => Promise<Answer>

/** Requests in one round, the seed's performance-test scenario: a product's life with one order. */
export const REQUESTS_PER_ROUND = 7

/**
 * Runs rounds `first` to `first + count - 1`, `concurrency` at a time. A round creates a product, reads it,
 * orders it, reads the order, lists recent orders and products, and deletes the product; every answer is
 * checked, so a gateway cannot pass by failing fast.
 */
export async function runRounds(call: Call, first: number, count: number, concurrency = 4): Promise<void> {
  let nextRound = first
  const end = first + count
  let failures = 0
  const worker = async () => {
    while (nextRound < end) {
      const round = nextRound++
      const id = `p-${round}`
      const ok = (answer: Answer, status: number) => {
        if (answer.status !== status) failures++
        return answer
      }
      ok(
        await call('POST', '/products', { id, title: `Product ${round}`, priceCents: 100 + (round % 900) }),
        201,
      )
      ok(await call('GET', `/products/${id}`), 200)
      const order = ok(await call('POST', '/orders', { lines: [{ productId: id, quantity: 2 }] }), 201)
      const orderId: number = order.body.id
      ok(await call('GET', `/orders/${orderId}`), 200)
      ok(await call('GET', `/orders?after=${Math.max(0, orderId - 10)}&limit=10`), 200)
      ok(await call('GET', '/products?limit=10'), 200)
      ok(await call('DELETE', `/products/${id}`), 204)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  // Only a number goes to expect(): nothing of the answers stays reachable through the assertion.
  expect(failures).toBe(0)
}

/** A browsing session: a product, an order of it, both read back, and a page of orders after it; n times. */
export async function browse(call: Call, n: number) {
  for (let i = 0; i < n; i++) {
    await call('POST', '/products', { id: `p-${i}`, title: `P ${i}`, priceCents: 100 })
    await call('POST', '/orders', { lines: [{ productId: `p-${i}`, quantity: 1 }] })
    await call('GET', `/orders/${i + 1}`)
    await call('GET', `/products/p-${i}`)
    await call('GET', `/orders?after=${i}`)
  }
}
