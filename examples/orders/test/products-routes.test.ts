import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type Answer, LAYOUTS, startLayout } from './client.js'

const odyssey = { id: 'the_odyssey', title: 'The Odyssey', priceCents: 1999 }

describe.each(LAYOUTS)('products, %s gateway, %s', (variant, layout) => {
  let call: (method: string, path: string, body?: unknown) => Promise<Answer>
  let close: () => Promise<void>
  beforeEach(async () => {
    ;({ call, close } = await startLayout(variant, layout))
  })
  afterEach(() => close())

  test('creates a product and gets it back', async () => {
    expect(await call('POST', '/products', odyssey)).toEqual({ status: 201, body: odyssey })
    expect(await call('GET', '/products/the_odyssey')).toEqual({ status: 200, body: odyssey })
  })

  test('refuses a second product with the same id, with 409', async () => {
    await call('POST', '/products', odyssey)
    expect(await call('POST', '/products', { ...odyssey, title: 'Another' })).toEqual({
      status: 409,
      body: {
        error: 'PRODUCT_EXISTS',
        message: 'A product with id "the_odyssey" already exists; delete it first or pick another id',
      },
    })
    expect((await call('GET', '/products/the_odyssey')).body.title).toBe('The Odyssey')
  })

  test.for([
    [{ title: 'T', priceCents: 1 }, 'body.id is required'],
    [{ ...odyssey, id: 'has space' }, 'body.id must be 1 to 64 letters, digits, "_" or "-"'],
    [{ ...odyssey, title: '' }, 'body.title must NOT have fewer than 1 characters'],
    [{ ...odyssey, priceCents: 9.5 }, 'body.priceCents must be integer'],
    [{ ...odyssey, priceCents: -1 }, 'body.priceCents must be >= 0'],
    [{ ...odyssey, colour: 'red' }, 'body has an unknown property "colour"; remove it'],
  ] as const)('refuses %j with 400: %s', async ([body, message]) => {
    expect(await call('POST', '/products', body)).toEqual({
      status: 400,
      body: { error: 'INVALID_REQUEST', message },
    })
    expect((await call('GET', '/products')).body.products).toEqual([])
  })

  test('refuses a body that is not JSON, with 400', async () => {
    const answer = await call('POST', '/products', '{"id": ')
    expect(answer.status).toBe(400)
    expect(answer.body.message).toMatch(/not valid JSON/)
  })

  test('answers 404 for an unknown product and 400 for a malformed id', async () => {
    expect(await call('GET', '/products/nope')).toEqual({
      status: 404,
      body: { error: 'PRODUCT_NOT_FOUND', message: 'No product with id "nope"' },
    })
    const malformed = await call('GET', `/products/${'x'.repeat(65)}`)
    expect(malformed.status).toBe(400)
    expect(malformed.body.message).toBe('params.id must be 1 to 64 letters, digits, "_" or "-"')
  })

  test('lists products by id, a page at a time, following next', async () => {
    for (const id of ['c', 'a', 'e', 'b', 'd'])
      await call('POST', '/products', { id, title: id, priceCents: 1 })
    const first = await call('GET', '/products?limit=2')
    expect(first.status).toBe(200)
    expect(first.body.products.map((p: { id: string }) => p.id)).toEqual(['a', 'b'])
    expect(first.body.next).toBe('/products?after=b&limit=2')
    const second = await call('GET', first.body.next)
    expect(second.body.products.map((p: { id: string }) => p.id)).toEqual(['c', 'd'])
    const third = await call('GET', second.body.next)
    expect(third.body).toEqual({ products: [{ id: 'e', title: 'e', priceCents: 1 }], next: null })
  })

  test('a list shows a product created after the list was read (cached pages are dropped on writes)', async () => {
    await call('POST', '/products', odyssey)
    expect((await call('GET', '/products')).body.products).toHaveLength(1)
    await call('POST', '/products', { ...odyssey, id: 'the_iliad' })
    expect((await call('GET', '/products')).body.products).toHaveLength(2)
  })

  test.for([
    ['?limit=0', 'query.limit must be >= 1'],
    ['?limit=1001', 'query.limit must be <= 1000'],
    ['?limit=ten', 'query.limit must be integer'],
    ['?sort=title', 'query has an unknown property "sort"; remove it'],
  ])('refuses the list query %s with 400', async ([query, message]) => {
    expect(await call('GET', `/products${query}`)).toEqual({
      status: 400,
      body: { error: 'INVALID_REQUEST', message },
    })
  })

  test('deletes a product: 204, then it is gone from get and list', async () => {
    await call('POST', '/products', odyssey)
    await call('GET', '/products/the_odyssey')
    await call('GET', '/products')
    expect(await call('DELETE', '/products/the_odyssey')).toEqual({ status: 204, body: undefined })
    expect((await call('GET', '/products/the_odyssey')).status).toBe(404)
    expect((await call('GET', '/products')).body.products).toEqual([])
  })

  test('deleting an unknown product is a 404, deleting twice too', async () => {
    expect(await call('DELETE', '/products/nope')).toEqual({
      status: 404,
      body: { error: 'PRODUCT_NOT_FOUND', message: 'No product with id "nope"' },
    })
    await call('POST', '/products', odyssey)
    expect((await call('DELETE', '/products/the_odyssey')).status).toBe(204)
    expect((await call('DELETE', '/products/the_odyssey')).status).toBe(404)
  })

  test('a deleted id can be used again', async () => {
    await call('POST', '/products', odyssey)
    await call('DELETE', '/products/the_odyssey')
    expect((await call('POST', '/products', { ...odyssey, priceCents: 2500 })).status).toBe(201)
    expect((await call('GET', '/products/the_odyssey')).body.priceCents).toBe(2500)
  })

  test('an unknown route is a 404 that names it', async () => {
    expect(await call('PUT', '/products/the_odyssey', odyssey)).toEqual({
      status: 404,
      body: { error: 'NO_ROUTE', message: 'No route for PUT /products/the_odyssey' },
    })
  })
})
