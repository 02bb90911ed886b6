import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface BenchSectionsOptions {
  /** The example's folder: it holds README.md and bench/<name>.bench.ts. */
  root: string
  /** The benchmarks there are, by name. */
  benches: readonly string[]
  /** The names asked for on the command line; none means all. */
  asked: readonly string[]
  /** Markers are `<!-- <marker>:<name>:start -->` and `<!-- <marker>:<name>:end -->`. */
  marker: string
  /** How the section says it was written, e.g. "`pnpm bench:readme` (scripts/bench-readme.ts)". */
  writtenBy: string
  /** The section's last line: how to reproduce its figures. */
  reproduce: (name: string) => string
}

/** Thrown for a benchmark name that is not one of `benches`; the message lists the valid ones. */
export class UnknownBenchError extends Error {}

/** Where the section of `name` is in the README's text, markers included. */
function locate(text: string, marker: string, name: string) {
  const start = `<!-- ${marker}:${name}:start -->`
  const end = `<!-- ${marker}:${name}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`)
  return { from, to: to + end.length, start, end }
}

/**
 * Runs an example's benchmarks (`node --import tsx bench/<name>.bench.ts`, which prints Markdown on stdout
 * and progress on stderr) and writes each one's output into README.md between its markers. Every marker is
 * checked before the first benchmark runs; the README is read again before each write, so edits made
 * meanwhile are kept and a failing benchmark keeps the sections already written.
 */
export function writeBenchSections(options: BenchSectionsOptions): void {
  const { root, benches, asked, marker, writtenBy, reproduce } = options
  const readme = join(root, 'README.md')
  const unknown = asked.filter((name) => !benches.includes(name))
  if (unknown.length > 0)
    throw new UnknownBenchError(`Unknown benchmark ${unknown.join(', ')}; choose from ${benches.join(', ')}.`)
  const chosen = asked.length > 0 ? asked : benches
  for (const name of chosen) locate(readFileSync(readme, 'utf8'), marker, name)
  for (const name of chosen) {
    console.error(`Running bench/${name}.bench.ts…`)
    const figures = execFileSync(process.execPath, ['--import', 'tsx', `bench/${name}.bench.ts`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim()
    const day = new Date().toISOString().slice(0, 10)
    const text = readFileSync(readme, 'utf8')
    const { from, to, start, end } = locate(text, marker, name)
    const section = [
      start,
      `<!-- written by ${writtenBy} on ${day}; do not edit by hand -->`,
      '',
      figures,
      '',
      reproduce(name),
      end,
    ].join('\n')
    writeFileSync(readme, text.slice(0, from) + section + text.slice(to))
    console.error(`README.md: ${name} written`)
  }
}

/**
 * The whole of an example's script that writes its benchmarks into README.md: the benchmarks named on the
 * command line (none: all); an unknown name prints the valid ones and exits with code 2.
 */
export function writeBenchSectionsOfArgs(options: Omit<BenchSectionsOptions, 'asked'>): void {
  try {
    writeBenchSections({ ...options, asked: process.argv.slice(2) })
  } catch (error) {
    if (!(error instanceof UnknownBenchError)) throw error
    console.error(error.message)
    process.exitCode = 2
  }
}
