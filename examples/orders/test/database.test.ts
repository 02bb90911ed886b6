import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { type Db, openDatabase } from '../src/database.js'
import { UnknownProductError } from '../src/errors.js'
import { Queries } from '../src/queries.js'

let db: Db | undefined
afterEach(() => {
  if (db?.isOpen) db.close()
})

function orderCount(on: Db): number {
  return on.prepare<[], { n: number }>('SELECT count(*) AS n FROM orders').get()?.n ?? -1
}

test('an order is placed in one transaction: a line with an unknown product leaves no order behind', () => {
  db = openDatabase()
  const queries = new Queries(db)
  queries.insertProduct({ id: 'a', title: 'A', priceCents: 5 })
  queries.placeOrder({ lines: [{ productId: 'a', quantity: 1 }] })
  expect(() =>
    queries.placeOrder({
      lines: [
        { productId: 'a', quantity: 1 },
        { productId: 'b', quantity: 1 },
      ],
    }),
  ).toThrow(UnknownProductError)
  expect(orderCount(db)).toBe(1)
  expect(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM order_lines').get()?.n).toBe(1)
})

test('a transaction inside another is a savepoint: its failure undoes only its own writes', () => {
  db = openDatabase()
  const on = db
  const queries = new Queries(on)
  queries.insertProduct({ id: 'a', title: 'A', priceCents: 5 })
  on.transaction(() => {
    queries.placeOrder({ lines: [{ productId: 'a', quantity: 1 }] })
    expect(() => queries.placeOrder({ lines: [{ productId: 'nope', quantity: 1 }] })).toThrow(
      UnknownProductError,
    )
    queries.placeOrder({ lines: [{ productId: 'a', quantity: 2 }] })
  })()
  expect(orderCount(on)).toBe(2)
  expect(() =>
    on.transaction(() => {
      queries.placeOrder({ lines: [{ productId: 'a', quantity: 3 }] })
      throw new Error('abandoned')
    })(),
  ).toThrow('abandoned')
  expect(orderCount(on)).toBe(2)
})

test('closing the database finalizes the statements prepared on it', () => {
  db = openDatabase()
  const queries = new Queries(db)
  queries.insertProduct({ id: 'a', title: 'A', priceCents: 5 })
  db.close()
  expect(db.isOpen).toBe(false)
  expect(() => queries.product('a')).toThrow('Statement already finalized')
})

test('a database file keeps its products and orders from one opening to the next', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orders-db-'))
  try {
    const path = join(dir, 'orders.db')
    const first = openDatabase(path)
    new Queries(first).insertProduct({ id: 'a', title: 'A', priceCents: 5 })
    new Queries(first).placeOrder({ lines: [{ productId: 'a', quantity: 2 }] })
    first.close()
    db = openDatabase(path)
    const queries = new Queries(db)
    expect(queries.product('a')).toEqual({ id: 'a', title: 'A', priceCents: 5 })
    expect(queries.order(1)).toMatchObject({ id: 1, totalCents: 10 })
  } finally {
    if (db?.isOpen) db.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
