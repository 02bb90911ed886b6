import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'

/** A row of a README's "Source layout" table: the paths its first cell names, and the rest of the row. */
export interface LayoutRow {
  /** Paths from the package's folder, in backticks in the first cell: `src/` or `src/node/` (a folder), `src/main.ts`. */
  paths: string[]
  /** The other cells, as written. */
  holds: string
}

/** The rows of the table under the README's `## Source layout` heading (none when there is no such heading). */
export function layoutRows(readme: string): LayoutRow[] {
  const start = readme.indexOf('\n## Source layout\n')
  if (start < 0) return []
  const rows: LayoutRow[] = []
  for (const line of readme.slice(start).split('\n').slice(2)) {
    if (line.trim() === '' && rows.length === 0) continue
    if (!line.startsWith('|')) break
    rows.push(toRow(line))
  }
  // The header and the separator.
  return rows.slice(2)
}

function toRow(line: string): LayoutRow {
  const [first = '', ...rest] = line.split('|').slice(1, -1)
  const paths = [...first.matchAll(/`([^`]+)`/g)].map(([, path]) => path ?? '')
  return { paths, holds: rest.join('|') }
}

/**
 * What a package's README "Source layout" table and its `src` folder disagree on, one line each; none when they
 * match. The table has a row for every folder of `src`, `src/` itself included when it holds files (its first
 * cell names the folder, e.g. `src/runtime/`), and names every file: in its folder's row, in backticks with or
 * without the extension (`runner` or `runner.ts`), or in a row of its own (`src/main.ts`). Every path a first
 * cell names must exist, and so must every `name.ts` a folder's row names.
 */
export function layoutMismatches(packageDir: string): string[] {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
  const rows = layoutRows(readme)
  if (rows.length === 0) return ['README.md has no "## Source layout" table']
  const problems: string[] = []
  const rowOf = new Map<string, LayoutRow>()
  for (const row of rows) {
    for (const path of row.paths) {
      const kind = kindOf(join(packageDir, path))
      if (kind === undefined) problems.push(`the table names ${path}, which does not exist`)
      else if (kind === 'folder' && !path.endsWith('/'))
        problems.push(`the table names the folder ${path} without its /`)
      else if (kind === 'file' && path.endsWith('/'))
        problems.push(`the table names the file ${path} as a folder`)
      else if (rowOf.has(path)) problems.push(`the table names ${path} twice`)
      else rowOf.set(path, row)
    }
  }
  for (const [folder, row] of rowOf) {
    if (!folder.endsWith('/')) continue
    for (const [, name] of row.holds.matchAll(/`([\w.-]+\.(?:ts|mts|cts|js|mjs|cjs))`/g)) {
      if (kindOf(join(packageDir, folder, name ?? '')) !== 'file')
        problems.push(`the row of ${folder} names ${name}, which is not in that folder`)
    }
  }
  for (const folder of folders(packageDir, 'src/')) {
    const files = readdirSync(join(packageDir, folder), { withFileTypes: true }).filter((entry) =>
      entry.isFile(),
    )
    const row = rowOf.get(folder)
    if (row === undefined) {
      // A folder holding only folders may go without a row, when each of those has one.
      if (files.length > 0) problems.push(`the table has no row for ${folder}`)
      continue
    }
    const named = new Set([...row.holds.matchAll(/`([\w.-]+)`/g)].map(([, name]) => name))
    for (const { name } of files) {
      const shown = named.has(name) || named.has(name.slice(0, -extname(name).length))
      if (!shown && !rowOf.has(folder + name)) problems.push(`the table does not name ${folder}${name}`)
    }
  }
  return problems
}

function kindOf(path: string): 'file' | 'folder' | undefined {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file'
  } catch {
    return undefined
  }
}

/** `folder` (from `packageDir`, ending in `/`) and every folder under it. */
function folders(packageDir: string, folder: string): string[] {
  const below = readdirSync(join(packageDir, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => folders(packageDir, `${folder}${entry.name}/`))
  return [folder, ...below]
}

/** The names a module's source exports, types included: its export lists and its exported declarations. */
export function exportedNames(source: string): string[] {
  const listed = [...source.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap(([, names]) =>
    (names ?? '').split(','),
  )
  const declared = [
    ...source.matchAll(/export (?:async )?(?:const|function|class|interface|type|enum) (\w+)/g),
  ].map(([, name]) => name ?? '')
  return [...listed, ...declared]
    .map((name) => name.trim().replace(/^type /, ''))
    .filter((name) => name !== '')
    .sort()
}

/** The identifiers a README's bullets (`- ` lines of `section`) name in backticks, sorted. */
export function bulletNames(section: string): string[] {
  const bullets = section.split('\n- ').slice(1).join('\n')
  return [...bullets.matchAll(/`([A-Za-z_]\w*)`/g)].map(([, name]) => name ?? '').sort()
}
