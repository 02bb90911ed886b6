// Listing every order through the gateway, a page at a time: the peak is set by the page size, not by how
// many orders there are. The second test shows what one unpaginated list of the same orders would hold.
import { measure } from '@memgate/core'
import { limitMemory } from '@memgate/vitest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Gateway } from '../src/gateway.js'
import { type Answer, startGateway } from './client.js'

const ORDERS = 40_000
const PAGE = 250

let gateway: Gateway
let call: (method: string, path: string, body?: unknown) => Promise<Answer>
beforeAll(async () => {
  ;({ gateway, call } = await startGateway({ variant: 'fixed' }))
  for (const [id, priceCents] of [
    ['the_odyssey', 1999],
    ['the_enigma', 599],
  ] as const) {
    await call('POST', '/products', { id, title: id, priceCents })
  }
  // Placed straight through the gateway's queries, in one transaction: 20,000 POSTs would only add time.
  gateway.db.transaction(() => {
    for (let i = 0; i < ORDERS; i++) {
      gateway.queries.placeOrder({
        lines: [
          { productId: 'the_odyssey', quantity: 1 + (i % 3) },
          { productId: 'the_enigma', quantity: 1 + (i % 7) },
        ],
      })
    }
  })()
}, 120_000)
afterAll(() => gateway.close())

describe(`listing ${ORDERS.toLocaleString('en')} orders`, () => {
  // A page of 1,000 orders is ~230 kB of JSON; the server holds one page's rows, objects and text at a
  // time, the client one parsed page, and the fixed gateway's page cache at most 1 MB of text. 8 MB leaves
  // room for the garbage between collections; one list of every order holds several times that (below).
  test(
    `page by page (${PAGE.toLocaleString('en')} a page) stays under 8 MB`,
    limitMemory('8 MB'),
    async () => {
      let next: string | null = `/orders?limit=${PAGE}`
      let orders = 0
      let pages = 0
      let lastId = 0
      while (next !== null) {
        const page: Answer = await call('GET', next)
        orders += page.body.orders.length
        lastId = page.body.orders.at(-1)?.id ?? lastId
        next = page.body.next
        pages++
      }
      expect({ orders, pages, lastId }).toEqual({ orders: ORDERS, pages: ORDERS / PAGE + 1, lastId: ORDERS })
    },
  )

  test('read as one list they would hold far more: why the list is paginated', async () => {
    const { peak } = await measure(() => {
      const all = gateway.queries.orders(0, ORDERS)
      return JSON.stringify({ orders: all.items }).length
    })
    expect(peak).toBeGreaterThan(16e6)
  })
})
