import type { Request } from 'autocannon'

const JSON_HEADERS = { 'content-type': 'application/json' }

interface Round {
  productId: string
  orderId: number
}

/**
 * The seed's performance-test scenario as autocannon requests, repeated by every connection: create a
 * product, read it, order it, read the order, list recent orders, list products, delete the product. Product
 * ids come from one counter shared by every phase, so no round collides with another.
 */
export function roundRequests(nextId: () => number): Request[] {
  const round = (context: object) => context as Round
  return [
    {
      method: 'POST',
      path: '/products',
      setupRequest: (request, context) => {
        const id = nextId()
        round(context).productId = `p-${id}`
        return {
          ...request,
          headers: JSON_HEADERS,
          body: JSON.stringify({ id: `p-${id}`, title: `Product ${id}`, priceCents: 100 + (id % 900) }),
        }
      },
    },
    {
      method: 'GET',
      setupRequest: (request, context) => ({ ...request, path: `/products/${round(context).productId}` }),
    },
    {
      method: 'POST',
      path: '/orders',
      setupRequest: (request, context) => ({
        ...request,
        headers: JSON_HEADERS,
        body: JSON.stringify({ lines: [{ productId: round(context).productId, quantity: 2 }] }),
      }),
      onResponse: (status, body, context) => {
        if (status === 201) round(context).orderId = JSON.parse(body).id
      },
    },
    {
      method: 'GET',
      setupRequest: (request, context) => ({ ...request, path: `/orders/${round(context).orderId}` }),
    },
    {
      method: 'GET',
      setupRequest: (request, context) => ({
        ...request,
        path: `/orders?after=${Math.max(0, round(context).orderId - 10)}&limit=10`,
      }),
    },
    { method: 'GET', path: '/products?limit=10' },
    {
      method: 'DELETE',
      setupRequest: (request, context) => ({ ...request, path: `/products/${round(context).productId}` }),
    },
  ]
}
