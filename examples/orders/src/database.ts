import Database from 'better-sqlite3'

export type Db = Database.Database

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

/**
 * Opens (and creates, the first time) the gateway's SQLite database: a file path, or `:memory:` for one
 * that lives as long as the process. Nothing to install: SQLite is embedded.
 */
export function openDatabase(path = ':memory:'): Db {
  const db = new Database(path)
  if (path !== ':memory:') db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.exec(SCHEMA)
  return db
}
