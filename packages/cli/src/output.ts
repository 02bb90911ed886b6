import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { CliError } from './errors.js'

/** Writes a page, creating its folder, with an error that names the file and says what to do. */
export function writePage(path: string, html: string, fix = 'Choose another path with -o.'): void {
  try {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, html)
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : ''
    throw new CliError('MEMGATE_WRITE', `Cannot write ${path}${reason}. ${fix}`)
  }
}
