import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

/**
 * Every module of a package's `src` folder, by path relative to it, with the modules of `src` it imports
 * (relative imports written with `.js`, type imports too).
 */
export function importGraph(src: string): Map<string, string[]> {
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'))
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const source = readFileSync(join(src, file), 'utf8')
    const targets = [...source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map(([, path]) =>
      relative(src, join(src, dirname(file), `${path}.ts`)),
    )
    graph.set(file, targets)
  }
  return graph
}

/** The imports that name no module of the graph, as `from → to`. */
export function missingImports(graph: Map<string, string[]>): string[] {
  return [...graph].flatMap(([file, targets]) =>
    targets.filter((target) => !graph.has(target)).map((target) => `${file} → ${target}`),
  )
}

/** The first import cycle found, as the modules around it (the first repeated at the end); [] if none. */
export function findCycle(graph: Map<string, string[]>): string[] {
  const done = new Set<string>()
  const path: string[] = []
  const visit = (file: string): string[] => {
    const at = path.indexOf(file)
    if (at >= 0) return [...path.slice(at), file]
    if (done.has(file)) return []
    path.push(file)
    for (const target of graph.get(file) ?? []) {
      const cycle = visit(target)
      if (cycle.length > 0) return cycle
    }
    path.pop()
    done.add(file)
    return []
  }
  for (const file of graph.keys()) {
    const cycle = visit(file)
    if (cycle.length > 0) return cycle
  }
  return []
}
