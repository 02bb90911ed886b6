import { readFileSync } from 'node:fs'
import { bulletNames, exportedNames } from '@memgate/test-utils/readme-layout'
import type { ArgsDef, CommandDef } from 'citty'
import { expect, test } from 'vitest'
import { main } from '../../src/index.js'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')
const readme = read('../../README.md')
const api = readme.slice(readme.indexOf('\n## Public API\n'), readme.indexOf('\n## Source layout\n'))

/** The names `src/index.ts` exports, types included. */
function indexExports(): string[] {
  return exportedNames(read('../../src/index.ts'))
}

/** The names the README's list of the module's exports gives: each bullet's backticked identifiers. */
function readmeExports(): string[] {
  return bulletNames(api)
}

/** The README's table of commands: each `memgate <command>` row's arguments and options cells. */
function readmeCommands(): Map<string, { args: string; options: string }> {
  const rows = [...api.matchAll(/^\| `memgate (\w+)` +\| (.*?) +\| (.*?) +\|$/gm)]
  return new Map(rows.map(([, name = '', args = '', options = '']) => [name, { args, options }]))
}

const commands = main.subCommands as Record<string, CommandDef>

test("the README's list of the module's exports is exactly what index.ts exports", () => {
  expect(readmeExports()).toEqual(indexExports())
})

test('index.ts lists its exports by name', () => {
  expect(read('../../src/index.ts')).not.toMatch(/export \*/)
})

test('the README has a row for each command, and for no other', () => {
  expect([...readmeCommands().keys()].sort()).toEqual(Object.keys(commands).sort())
})

test.each(Object.keys(commands))(
  "the README's row of memgate %s names its arguments and exactly its options",
  (name) => {
    const row = readmeCommands().get(name)
    const args = (commands[name]?.args ?? {}) as ArgsDef
    for (const [key, arg] of Object.entries(args)) {
      if (arg.type !== 'positional') continue
      expect(row?.args).toContain(arg.required === false ? `[${key}]` : `<${key}>`)
    }
    const options = Object.entries(args)
      .filter(([, arg]) => arg.type !== 'positional')
      .map(([key, arg]) => ('alias' in arg && arg.alias ? `-${arg.alias}, --${key}` : `--${key}`))
    const shown = [...(row?.options ?? '').matchAll(/`((?:-\w, )?--[\w-]+)/g)].map(([, option]) => option)
    expect(shown.sort()).toEqual(options.sort())
  },
)
