import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import {
  checkPages,
  codeBlocks,
  DOCS,
  isCheckable,
  markdownFiles,
  snippetPlan,
} from '../scripts/check-snippets.mjs'

const docsDir = fileURLToPath(new URL('..', import.meta.url))
const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url))

describe('the code-block check of the docs build', () => {
  test('reports a block the API does not accept, at its line in the page, in TypeScript and JavaScript', () => {
    const { pages, blocks, unchecked, errors } = checkPages([fixture('snippets.md')])
    expect({ pages, blocks, unchecked }).toEqual({ pages: 1, blocks: 6, unchecked: 1 })
    expect(errors).toHaveLength(3)
    // The misspelled option of limitMemory, line 26 of the page.
    expect(errors[0]).toMatch(/^test\/fixtures\/snippets\.md:26:24: TS2561: .*'leak'/)
    // A later block with the same path replaces the file: `limit` is gone from src/sizes.ts.
    expect(errors[1]).toMatch(/^test\/fixtures\/snippets\.md:35:10: TS2305: .*'limit'/)
    // The ```js block, checked as JavaScript: the same misspelled option.
    expect(errors[2]).toMatch(/^test\/fixtures\/snippets\.md:44:46: TS2561: .*'leak'/)
  })

  test('reports a ts block that is neither checked nor marked unchecked, and no other', () => {
    const { pages, blocks, unchecked, errors } = checkPages([fixture('unmarked.md')])
    expect({ pages, blocks, unchecked }).toEqual({ pages: 0, blocks: 0, unchecked: 1 })
    expect(errors).toEqual([
      'test/fixtures/unmarked.md:3: this ```ts block is not checked: mark the page `<!-- typecheck -->` ' +
        '(or `<!-- quotes examples/<name> -->` for a page that quotes an example), or put ' +
        '`<!-- unchecked: <why> -->` on the line above its fence',
    ])
  })

  test('compares the blocks of a page that quotes an example with the example’s files', () => {
    const { pages, blocks, errors } = checkPages([fixture('quotes.md')])
    expect({ pages, blocks }).toEqual({ pages: 1, blocks: 3 })
    expect(errors).toEqual([
      'test/fixtures/quotes.md:12: the block is not a verbatim part of examples/orders/src/session.ts: copy it from there again',
      'test/fixtures/quotes.md:19: a quoted block starts with `// <path>`, a file of examples/orders; got "const unnamed = \'a quote says which file it is from\'"',
    ])
  })

  test('finds fences and their language, and the mark', () => {
    const blocks = codeBlocks('text\n```ts {2}\na\nb\n```\n\n~~~sh\nls\n~~~\n')
    expect(blocks).toEqual([
      { line: 2, lang: 'ts', code: 'a\nb' },
      { line: 7, lang: 'sh', code: 'ls' },
    ])
    expect(isCheckable('# A page\n\n<!-- typecheck -->\n')).toBe(true)
    expect(isCheckable('# A page\n\nSay `<!-- typecheck -->` to check it.\n')).toBe(false)
  })
})

// The docs build runs the check on every page; this says which block is missing, without building the site.
test('every ts and js block of the docs is checked, or says why not', () => {
  const files = DOCS.flatMap((target) => (target.endsWith('.md') ? [target] : markdownFiles(target)))
  expect(files.length).toBeGreaterThan(10)
  const plans = files.map((file) => snippetPlan(readText(file)))
  expect(plans.flat().length).toBeGreaterThan(20)
  const missing = files.flatMap((file, i) =>
    (plans[i] ?? [])
      .filter((block) => block.how === 'missing')
      .map((block) => `${relative(docsDir, file)}:${block.line}`),
  )
  expect(missing).toEqual([])
})

function readText(file: string): string {
  return readFileSync(file, 'utf8')
}
