// A learner's loop, tested without touching the learner's files: a scratch copy of an example (its
// node_modules linked, not copied) with some of its files replaced — the exercise as shipped, or solved.
// Each example's test/scratch.ts binds these to its own folder.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'

/** What is left out of a scratch copy: installed packages, and what runs leave behind. */
const SKIPPED = new Set(['node_modules', '.memgate', '.turbo'])

/** Replacements, by path in the example: the path of the file to put there, relative to the example too. */
export type Overlay = Record<string, string>

/**
 * The exercise files as shipped: frozen copies in test/fixtures/unsolved/, at the same paths. The tests that
 * prove the exercise fails run on these, so a learner who solves it in place keeps `pnpm test` green.
 */
export function unsolvedOverlay(files: readonly string[]): Overlay {
  return Object.fromEntries(files.map((file) => [file, join('test/fixtures/unsolved', file)]))
}

/** A copy of the example in a new temporary folder, with `overlay` applied; a path ending in `/`. */
export function scratchCopy(from: string, overlay: Overlay): string {
  // At the same depth as in the repository, beside the base tsconfig the example's extends.
  const top = mkdtempSync(join(tmpdir(), `example-${basename(from)}-`))
  const root = join(top, 'examples', basename(from))
  cpSync(join(from, '../../tsconfig.base.json'), join(top, 'tsconfig.base.json'))
  cpSync(from, root, { recursive: true, filter: (source) => !SKIPPED.has(basename(source)) })
  symlinkSync(join(from, 'node_modules'), join(root, 'node_modules'), 'dir')
  for (const [target, source] of Object.entries(overlay)) {
    if (!existsSync(join(from, source))) throw new Error(`No ${source} in ${from} to put at ${target}`)
    cpSync(join(from, source), join(root, target))
  }
  return `${root}/`
}

export function removeScratch(root: string): void {
  rmSync(join(root, '../..'), { recursive: true, force: true })
}

/** The files of `overlay` whose content in `root` differs from what the overlay would put there. */
export function changedFiles(root: string, overlay: Overlay): string[] {
  return Object.entries(overlay)
    .filter(
      ([target, source]) =>
        readFileSync(join(root, target), 'utf8') !== readFileSync(join(root, source), 'utf8'),
    )
    .map(([target]) => target)
}
