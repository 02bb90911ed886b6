import sqlite, {
  type BindValues,
  type Database as Driver,
  type Statement as DriverStatement,
  type RunResult,
} from 'node-sqlite3-wasm'

// Products are documents under a key (the seed's products service kept them in a key-value store);
// orders and their lines are relational rows.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS products (
  id TEXT PRIMARY KEY,
  document TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS orders (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS order_lines (
  order_id INTEGER NOT NULL REFERENCES orders (id),
  position INTEGER NOT NULL,
  product_id TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  price_cents INTEGER NOT NULL,
  PRIMARY KEY (order_id, position)
) WITHOUT ROWID;
`

/** A statement prepared once and run many times, with its parameters `P` and the rows `R` it returns. */
export interface Statement<P extends BindValue[], R> {
  get(...params: P): R | undefined
  all(...params: P): R[]
  run(...params: P): RunResult
}

type BindValue = Exclude<BindValues, unknown[] | Record<string, unknown>>

/**
 * The gateway's SQLite database. SQLite runs as WebAssembly (node-sqlite3-wasm): nothing to compile on
 * install, the same on every platform. Its memory lives in the WebAssembly instance's linear memory, which
 * V8 counts as external memory and no GC frees: a prepared statement holds it until it is finalized, and
 * the database until it is closed. So `prepare()` keeps every statement it made, and `close()` finalizes
 * them all; a statement run once goes through `run()`, which finalizes its own.
 */
export class Db {
  readonly #driver: Driver
  readonly #statements: DriverStatement[] = []

  constructor(path: string) {
    this.#driver = new sqlite.Database(path)
  }

  exec(sql: string): void {
    this.#driver.exec(sql)
  }

  /** Runs one statement once, finalizing it at once. */
  run(sql: string, ...params: BindValue[]): RunResult {
    return this.#driver.run(sql, params)
  }

  /** Prepares a statement for the life of the database (finalized by `close()`). */
  prepare<P extends BindValue[] = [], R = never>(sql: string): Statement<P, R> {
    const statement = this.#driver.prepare(sql)
    this.#statements.push(statement)
    return {
      get: (...params) => (statement.get(params) ?? undefined) as R | undefined,
      all: (...params) => statement.all(params) as R[],
      run: (...params) => statement.run(params),
    }
  }

  /**
   * Wraps `fn` so that each call runs in one transaction: committed when it returns, rolled back when it
   * throws. Called inside another transaction, it is a savepoint of that one.
   */
  transaction<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
    return (...args) => {
      const nested = this.#driver.inTransaction
      this.#driver.exec(nested ? 'SAVEPOINT nested' : 'BEGIN')
      try {
        const result = fn(...args)
        this.#driver.exec(nested ? 'RELEASE nested' : 'COMMIT')
        return result
      } catch (error) {
        if (this.#driver.inTransaction)
          this.#driver.exec(nested ? 'ROLLBACK TO nested; RELEASE nested' : 'ROLLBACK')
        throw error
      }
    }
  }

  get isOpen(): boolean {
    return this.#driver.isOpen
  }

  /** Finalizes every prepared statement, then closes the database. */
  close(): void {
    for (const statement of this.#statements.splice(0)) statement.finalize()
    this.#driver.close()
  }
}

/**
 * Opens (and creates, the first time) the gateway's SQLite database: a file path, or `:memory:` for one
 * that lives as long as the gateway. Nothing to install or compile: SQLite is embedded, as WebAssembly.
 */
export function openDatabase(path = ':memory:'): Db {
  const db = new Db(path)
  db.exec('PRAGMA foreign_keys = ON')
  db.exec(SCHEMA)
  return db
}
