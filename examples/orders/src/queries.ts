import type { Db } from './database.js'
import { UnknownProductError } from './errors.js'
import type { Order, OrderLine, OrderRequest, Page, Product } from './model.js'

interface OrderRow {
  id: number
  created_at: string
  lines: string
}

const ORDER_COLUMNS = `
  SELECT o.id, o.created_at,
    json_group_array(json_object(
      'productId', l.product_id, 'quantity', l.quantity, 'priceCents', l.price_cents
    ) ORDER BY l.position) AS lines
  FROM orders o JOIN order_lines l ON l.order_id = o.id`

/** The gateway's SQL, prepared once per database and shared by every session. */
export class Queries {
  readonly #product
  readonly #products
  readonly #insertProduct
  readonly #deleteProduct
  readonly #order
  readonly #orders
  readonly #insertOrder
  readonly #insertLine
  readonly #insertOrderLines
  readonly #placeOrder

  constructor(db: Db) {
    this.#product = db.prepare<[string], { document: string }>('SELECT document FROM products WHERE id = ?')
    this.#products = db.prepare<[string, number], { id: string; document: string }>(
      'SELECT id, document FROM products WHERE id > ? ORDER BY id LIMIT ?',
    )
    this.#insertProduct = db.prepare<[string, string]>(
      'INSERT INTO products (id, document) VALUES (?, ?) ON CONFLICT DO NOTHING',
    )
    this.#deleteProduct = db.prepare<[string]>('DELETE FROM products WHERE id = ?')
    this.#order = db.prepare<[number], OrderRow>(`${ORDER_COLUMNS} WHERE o.id = ? GROUP BY o.id`)
    this.#orders = db.prepare<[number, number], OrderRow>(
      `${ORDER_COLUMNS} WHERE o.id > ? GROUP BY o.id ORDER BY o.id LIMIT ?`,
    )
    this.#insertOrder = db.prepare<[string]>('INSERT INTO orders (created_at) VALUES (?)')
    this.#insertLine = db.prepare<[number | bigint, number, string, number, number]>(
      'INSERT INTO order_lines (order_id, position, product_id, quantity, price_cents) VALUES (?, ?, ?, ?, ?)',
    )
    this.#insertOrderLines = db.transaction((lines: OrderLine[], createdAt: string): Order => {
      const id = Number(this.#insertOrder.run(createdAt).lastInsertRowid)
      lines.forEach((line, i) => {
        this.#insertLine.run(id, i, line.productId, line.quantity, line.priceCents)
      })
      return { id, createdAt, lines, totalCents: total(lines) }
    })
    this.#placeOrder = db.transaction((request: OrderRequest, createdAt: string): Order => {
      const lines: OrderLine[] = request.lines.map(({ productId, quantity }, i) => {
        const product = this.product(productId)
        if (!product) throw new UnknownProductError(i, productId)
        return { productId, quantity, priceCents: product.priceCents }
      })
      return this.#insertOrderLines(lines, createdAt)
    })
  }

  product(id: string): Product | undefined {
    const row = this.#product.get(id)
    return row && { id, ...JSON.parse(row.document) }
  }

  products(after: string, limit: number): Page<Product> {
    const items = this.#products.all(after, limit).map((row) => ({ id: row.id, ...JSON.parse(row.document) }))
    return { items, after: items.length === limit ? (items.at(-1)?.id ?? null) : null }
  }

  /** Stores a new product; false when one with that id exists already. */
  insertProduct({ id, title, priceCents }: Product): boolean {
    return this.#insertProduct.run(id, JSON.stringify({ title, priceCents })).changes === 1
  }

  /** False when there was no such product. */
  deleteProduct(id: string): boolean {
    return this.#deleteProduct.run(id).changes === 1
  }

  order(id: number): Order | undefined {
    const row = this.#order.get(id)
    return row && toOrder(row)
  }

  orders(after: number, limit: number): Page<Order> {
    const items = this.#orders.all(after, limit).map(toOrder)
    return { items, after: items.length === limit ? (items.at(-1)?.id ?? null) : null }
  }

  /** Stores an order whose lines are priced already (the orders service's: the catalogue is elsewhere). */
  insertOrder(lines: OrderLine[], createdAt = new Date().toISOString()): Order {
    return this.#insertOrderLines(lines, createdAt)
  }

  /** Places an order in one transaction, at the catalogue's prices; throws UnknownProductError. */
  placeOrder(request: OrderRequest, createdAt = new Date().toISOString()): Order {
    return this.#placeOrder(request, createdAt)
  }
}

function toOrder(row: OrderRow): Order {
  const lines: OrderLine[] = JSON.parse(row.lines)
  return { id: row.id, createdAt: row.created_at, lines, totalCents: total(lines) }
}

function total(lines: OrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.priceCents, 0)
}
