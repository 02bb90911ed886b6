import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type Answer, LAYOUTS, startLayout } from './client.js'

describe.each(LAYOUTS)('orders, %s gateway, %s', (variant, layout) => {
  let call: (method: string, path: string, body?: unknown) => Promise<Answer>
  let close: () => Promise<void>
  beforeEach(async () => {
    ;({ call, close } = await startLayout(variant, layout))
    await call('POST', '/products', { id: 'the_odyssey', title: 'The Odyssey', priceCents: 1999 })
    await call('POST', '/products', { id: 'the_enigma', title: 'The Enigma', priceCents: 599 })
  })
  afterEach(() => close())

  const twoLines = {
    lines: [
      { productId: 'the_odyssey', quantity: 1 },
      { productId: 'the_enigma', quantity: 8 },
    ],
  }

  test('places an order at the catalogue’s prices and gets it back', async () => {
    const placed = await call('POST', '/orders', twoLines)
    expect(placed.status).toBe(201)
    expect(placed.body).toMatchObject({
      id: 1,
      lines: [
        { productId: 'the_odyssey', quantity: 1, priceCents: 1999 },
        { productId: 'the_enigma', quantity: 8, priceCents: 599 },
      ],
      totalCents: 1999 + 8 * 599,
    })
    expect(Date.parse(placed.body.createdAt)).not.toBeNaN()
    expect(await call('GET', '/orders/1')).toEqual({ status: 200, body: placed.body })
  })

  test('an order keeps its prices after its product is deleted', async () => {
    await call('POST', '/orders', twoLines)
    await call('GET', '/orders/1')
    expect((await call('DELETE', '/products/the_odyssey')).status).toBe(204)
    expect((await call('GET', '/orders/1')).body.totalCents).toBe(1999 + 8 * 599)
  })

  test('refuses an order naming an unknown product with 400, and stores nothing', async () => {
    const answer = await call('POST', '/orders', {
      lines: [
        { productId: 'the_odyssey', quantity: 1 },
        { productId: 'the_iliad', quantity: 1 },
      ],
    })
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'UNKNOWN_PRODUCT',
        message: 'lines[1].productId: no product with id "the_iliad"; create it with POST /products first',
      },
    })
    expect((await call('GET', '/orders')).body.orders).toEqual([])
  })

  test.for([
    [{}, 'body.lines is required'],
    [{ lines: [] }, 'body.lines must NOT have fewer than 1 items'],
    [{ lines: [{ productId: 'the_odyssey' }] }, 'body.lines[0].quantity is required'],
    [{ lines: [{ productId: 'the_odyssey', quantity: 0 }] }, 'body.lines[0].quantity must be >= 1'],
    [{ lines: [{ productId: 'the_odyssey', quantity: 1.5 }] }, 'body.lines[0].quantity must be integer'],
    [
      { lines: [{ productId: 'the_odyssey', quantity: 1, priceCents: 1 }] },
      'body.lines[0] has an unknown property "priceCents"; remove it',
    ],
  ] as const)('refuses %j with 400: %s', async ([body, message]) => {
    expect(await call('POST', '/orders', body)).toEqual({
      status: 400,
      body: { error: 'INVALID_REQUEST', message },
    })
  })

  test('answers 404 for an unknown order and 400 for an id that is not a positive integer', async () => {
    expect(await call('GET', '/orders/7')).toEqual({
      status: 404,
      body: { error: 'ORDER_NOT_FOUND', message: 'No order with id 7' },
    })
    expect(await call('GET', '/orders/seven')).toEqual({
      status: 400,
      body: { error: 'INVALID_REQUEST', message: 'params.id must be integer' },
    })
    expect((await call('GET', '/orders/0')).body.message).toBe('params.id must be >= 1')
  })

  test('lists orders oldest first, a page at a time, following next', async () => {
    for (let i = 1; i <= 5; i++) {
      await call('POST', '/orders', { lines: [{ productId: 'the_enigma', quantity: i }] })
    }
    const ids: number[] = []
    let next: string | null = '/orders?limit=2'
    let pages = 0
    while (next) {
      const page: Answer = await call('GET', next)
      expect(page.status).toBe(200)
      ids.push(...page.body.orders.map((order: { id: number }) => order.id))
      next = page.body.next
      pages++
    }
    expect(ids).toEqual([1, 2, 3, 4, 5])
    expect(pages).toBe(3)
    const last = await call('GET', '/orders?after=4&limit=2')
    expect(last.body).toMatchObject({ orders: [{ id: 5, totalCents: 5 * 599 }], next: null })
  })

  // The seed answers 404 here; this gateway answers an empty page, as the README explains: a list with
  // nothing in it is still the list, and a page past the last order is empty in the same way.
  test('lists nothing when there are no orders: 200 and an empty page, not the seed’s 404', async () => {
    expect(await call('GET', '/orders')).toEqual({ status: 200, body: { orders: [], next: null } })
    expect(await call('GET', '/orders?after=7&limit=5')).toEqual({
      status: 200,
      body: { orders: [], next: null },
    })
  })

  test('a list shows an order placed after the list was read (cached pages are dropped on writes)', async () => {
    await call('POST', '/orders', twoLines)
    expect((await call('GET', '/orders')).body.orders).toHaveLength(1)
    await call('POST', '/orders', twoLines)
    expect((await call('GET', '/orders')).body.orders).toHaveLength(2)
  })

  test.for([
    ['?after=-1', 'query.after must be >= 0'],
    ['?after=x', 'query.after must be integer'],
    ['?limit=5000', 'query.limit must be <= 1000'],
  ])('refuses the list query %s with 400', async ([query, message]) => {
    expect(await call('GET', `/orders${query}`)).toEqual({
      status: 400,
      body: { error: 'INVALID_REQUEST', message },
    })
  })
})
