import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { codeBlocks } from '../scripts/check-snippets.mjs'

// A workshop page quotes its example's files: a ```ts block whose first line is `// <path>` must be a
// verbatim part of examples/<page>/<path>, so that the page cannot drift from the code the learner edits.

const workshop = new URL('../src/workshop/', import.meta.url)
const examples = new URL('../../examples/', import.meta.url)
const PATH_COMMENT = /^\/\/ ([\w./-]+\.ts)$/

const quotes = readdirSync(workshop)
  .filter((name) => name.endsWith('.md') && name !== 'index.md')
  .flatMap((page) =>
    codeBlocks(readFileSync(new URL(page, workshop), 'utf8')).flatMap((block) => {
      const [first = '', ...rest] = block.code.split('\n')
      const path = PATH_COMMENT.exec(first)?.[1]
      return block.lang === 'ts' && path ? [{ page, line: block.line, path, code: rest.join('\n') }] : []
    }),
  )

describe('the workshop pages quote their examples', () => {
  test('there is something to check', () => {
    expect(quotes.length).toBeGreaterThan(0)
  })

  test.each(quotes)('$page:$line is part of $path', ({ page, path, code }) => {
    const file = fileURLToPath(new URL(`${page.replace(/\.md$/, '')}/${path}`, examples))
    expect(readFileSync(file, 'utf8')).toContain(code)
  })
})
