import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { checkPages, codeBlocks, isCheckable } from '../scripts/check-snippets.mjs'

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url))

describe('the code-block check of the docs build', () => {
  test('reports a block the API does not accept, at its line in the page', () => {
    const { pages, blocks, errors } = checkPages([fixture('snippets.md')])
    expect({ pages, blocks }).toEqual({ pages: 1, blocks: 5 })
    expect(errors).toHaveLength(2)
    // The misspelled option of limitMemory, line 26 of the page.
    expect(errors[0]).toMatch(/^test\/fixtures\/snippets\.md:26:24: TS2561: .*'leak'/)
    // A later block with the same path replaces the file: `limit` is gone from src/sizes.ts.
    expect(errors[1]).toMatch(/^test\/fixtures\/snippets\.md:35:10: TS2305: .*'limit'/)
  })

  test('leaves pages without the mark alone', () => {
    expect(checkPages([fixture('unmarked.md')])).toEqual({ pages: 0, blocks: 0, errors: [] })
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
