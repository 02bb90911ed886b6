import { isAbsolute, relative, resolve } from 'node:path'
import type { Vitest } from 'vitest/node'
import type { ResolvedGate } from '../options.js'
import type { GateSettings } from '../runtime/settings.js'
import { type Baseline, readBaseline } from './baseline.js'

/** `MEMGATE_UPDATE`: off, `changed` (`1`/`true`: write new, removed and moved entries) or `all`. */
export type UpdateMode = false | 'changed' | 'all'

/** One project's gate, as the reporter sees it. */
export interface ProjectGate {
  project: string
  root: string
  /** Absolute path of the baseline file. */
  path: string
  /** The file as messages name it: relative to the project root when inside it. */
  file: string
  options: ResolvedGate
  /** The file's content when the run started; `undefined` when there is none. */
  baseline: Baseline | undefined
}

/** Every gated project of one Vitest instance, and the update mode of the run. */
export interface GateRegistry {
  update: UpdateMode
  projects: Map<string, ProjectGate>
}

const REGISTRY = Symbol.for('memgate.gate.registry')

export function updateMode(value = process.env.MEMGATE_UPDATE): UpdateMode {
  const mode = value?.trim().toLowerCase()
  if (mode === 'all') return 'all'
  return mode === '1' || mode === 'true' || mode === 'yes' ? 'changed' : false
}

/**
 * Reads a project's baseline (once per file and Vitest instance) and records the project for the gate's
 * reporter. Throws {@link BaselineError} for a file that cannot be read: Vitest then stops before any test.
 * Returns what the project's workers need, or `undefined` when nothing is to be checked there.
 */
export function registerProjectGate(
  vitest: Vitest,
  project: { name: string; root: string },
  options: ResolvedGate,
): { registry: GateRegistry; created: boolean; settings: GateSettings | undefined } {
  const holder = vitest as Vitest & { [REGISTRY]?: GateRegistry }
  const created = holder[REGISTRY] === undefined
  const registry = holder[REGISTRY] ?? { update: updateMode(), projects: new Map<string, ProjectGate>() }
  holder[REGISTRY] = registry
  // MEMGATE_BASELINE (a path from the working directory) overrides the option: one baseline per platform in CI.
  const override = process.env.MEMGATE_BASELINE?.trim()
  const path = override ? resolve(override) : resolve(project.root, options.baseline)
  const shared = [...registry.projects.values()].find((other) => other.path === path)
  const inside = relative(project.root, path)
  const file = inside.startsWith('..') || isAbsolute(inside) ? path : inside.replaceAll('\\', '/')
  const baseline = shared ? shared.baseline : readBaseline(path, file)
  registry.projects.set(project.name, {
    project: project.name,
    root: project.root,
    path,
    file,
    options,
    baseline,
  })
  if (registry.update || !baseline) return { registry, created, settings: undefined }
  const prefix = project.name ? `|${project.name}| ` : ''
  const entries: GateSettings['entries'] = {}
  for (const [id, entry] of Object.entries(baseline.tests))
    if (prefix ? id.startsWith(prefix) : !id.startsWith('|')) entries[id] = entry
  return {
    registry,
    created,
    settings: {
      project: project.name,
      baselineFile: file,
      tolerance: { relative: options.tolerance, floor: options.floor },
      failOnNew: options.failOnNew,
      entries,
    },
  }
}
