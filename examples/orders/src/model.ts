export interface Product {
  id: string
  title: string
  /** In cents, to keep money out of floating point. */
  priceCents: number
}

export interface OrderLine {
  productId: string
  quantity: number
  /** The product's price when the order was placed. */
  priceCents: number
}

export interface Order {
  id: number
  createdAt: string
  lines: OrderLine[]
  totalCents: number
}

/** What a client sends to place an order: the price comes from the catalogue. */
export interface OrderRequest {
  lines: { productId: string; quantity: number }[]
}

/** One page of a list, oldest first, and the key to ask for the next one. */
export interface Page<T> {
  items: T[]
  /** The last key of this page when more may follow, else null. */
  after: string | number | null
}
