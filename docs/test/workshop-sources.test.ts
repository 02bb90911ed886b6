import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { checkPages, snippetPlan } from '../scripts/check-snippets.mjs'

// A workshop page quotes its example's files: it is marked `<!-- quotes examples/<name> -->`, and each of its
// ```ts blocks starts with `// <path>` and is a verbatim part of examples/<name>/<path>, so that the page
// cannot drift from the code the learner edits. (The snippet check compares them; this runs it on the pages.)

const workshop = new URL('../src/workshop/', import.meta.url)
const pages = readdirSync(workshop)
  .filter((name) => name.endsWith('.md') && name !== 'index.md')
  .map((name) => fileURLToPath(new URL(name, workshop)))

describe('the workshop pages quote their examples', () => {
  test.each(pages)('%s quotes its own example, verbatim', (page) => {
    const markdown = readFileSync(page, 'utf8')
    const example = page.replace(/^.*\/([\w-]+)\.md$/, 'examples/$1')
    expect(markdown).toMatch(new RegExp(`^<!-- quotes ${example} -->$`, 'm'))
    expect(snippetPlan(markdown).every((block) => block.how === 'quote')).toBe(true)
    const { blocks, errors } = checkPages([page])
    expect(blocks).toBeGreaterThan(0)
    expect(errors).toEqual([])
  })
})
