import { afterEach, expect, test } from 'vitest'
import { type Db, openDatabase } from '../src/database.js'
import { Queries } from '../src/queries.js'
import { DatabaseSession, SessionClosedError } from '../src/session.js'

let db: Db | undefined
afterEach(() => db?.close())

function session(): DatabaseSession {
  db = openDatabase()
  const queries = new Queries(db)
  queries.insertProduct({ id: 'a', title: 'A', priceCents: 5 })
  return new DatabaseSession('req-1', queries)
}

test('a session returns the same object for a second read, and forgets it when closed', async () => {
  const unit = session()
  const first = await unit.product('a')
  expect(first).toEqual({ id: 'a', title: 'A', priceCents: 5 })
  expect(await unit.product('a')).toBe(first)
  await unit.placeOrder({ lines: [{ productId: 'a', quantity: 3 }] })
  expect(unit.loaded).toBe(2)
  unit.close()
  expect(unit.loaded).toBe(0)
  expect(unit.closed).toBe(true)
})

test('a closed session refuses queries, naming its request', async () => {
  const unit = session()
  unit.close()
  await expect(unit.product('a')).rejects.toThrow(SessionClosedError)
  await expect(unit.orders(0, 10)).rejects.toThrow(
    'The database session of request req-1 is closed; open a new one for each request',
  )
})
