// JSON schemas of what clients send; Fastify validates requests against them before a handler runs.

const productId = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: '1 to 64 letters, digits, "_" or "-"',
} as const

export const MAX_PAGE = 1_000

const limit = { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 100 } as const

export const productBody = {
  type: 'object',
  required: ['id', 'title', 'priceCents'],
  additionalProperties: false,
  properties: {
    id: productId,
    title: { type: 'string', minLength: 1, maxLength: 200 },
    priceCents: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
  },
} as const

export const productParams = {
  type: 'object',
  required: ['id'],
  properties: { id: productId },
} as const

export const productsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit, after: { type: 'string', maxLength: 64, default: '' } },
} as const

const quantity = { type: 'integer', minimum: 1, maximum: 10_000 } as const

/** An order's body: its lines, each a product and a quantity; `priced` lines also carry each unit's price. */
function orderLines<const Extra extends Record<string, object>>(
  extra: Extra,
  required: readonly (keyof Extra)[],
) {
  return {
    type: 'object',
    required: ['lines'],
    additionalProperties: false,
    properties: {
      lines: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: {
          type: 'object',
          required: ['productId', 'quantity', ...required],
          additionalProperties: false,
          properties: { productId, quantity, ...extra },
        },
      },
    },
  } as const
}

export const orderBody = orderLines({}, [])

/** What the gateway sends the orders service: the lines priced from the products service. */
export const pricedOrderBody = orderLines({ priceCents: productBody.properties.priceCents }, ['priceCents'])

export const orderParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
} as const

export const ordersQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit, after: { type: 'integer', minimum: 0, default: 0 } },
} as const
