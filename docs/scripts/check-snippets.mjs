// @ts-check
// Checks every ```ts and ```js block of the docs, so that a code block the API no longer accepts, or one that
// no longer matches the example it quotes, fails the docs build. A page says how its blocks are checked:
//
//   <!-- typecheck -->                 each block is typechecked against the built @memgate/* types
//   <!-- quotes examples/<name> -->    each block starts with `// <path>` and is a verbatim part of that file of
//                                      the example, which the example's own typecheck and tests run
//
// and a block that neither can check has the line `<!-- unchecked: <reason> -->` right above its fence. Any
// other block is an error: a new snippet is checked, or says why not. The typechecked blocks are also run:
// test/snippets-run.test.ts runs them, or names the page's own test that does.
//
// Typechecked blocks: each block is a module. A block whose first line is a path comment (`// test/csv.test.ts`) is that file of
// the page's project, so the blocks after it can import it (`../src/csv.js`); a later block with the same path
// replaces it from there on (a "before" and an "after"). Other blocks are files of their own. The project is
// virtual: it sits in docs/.snippets/<page>/ but is never written, so `@memgate/*`, `vitest` and
// `@types/node` resolve from docs/node_modules, as a user's project would resolve them.
//
// Usage: node scripts/check-snippets.mjs [folder or .md files…]   (default: src)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const TS_LANGS = new Set(['ts', 'typescript', 'mts', 'cts', 'tsx'])
const JS_LANGS = new Set(['js', 'javascript', 'mjs', 'cjs', 'jsx'])
const PATH_COMMENT = /^\/\/ ([\w@./-]+\.(?:ts|mts|cts|js|mjs|cjs))(?:\s.*)?$/
const QUOTE_PATH = /^\/\/ ([\w./-]+\.(?:ts|mts|cts|js|mjs|cjs))$/
const QUOTES_MARK = /^<!-- quotes (examples\/[\w-]+) -->$/m
const UNCHECKED_MARK = /^<!-- unchecked: (.*\S.*) -->$/

/** @type {ts.CompilerOptions} */
const OPTIONS = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  strict: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  allowJs: true,
  checkJs: true,
  // tinybench is not a dependency of the docs; the core-without-Vitest guide's benchmark block is checked
  // against the copy @memgate/core benchmarks with.
  paths: { tinybench: [join(docsDir, '../packages/core/node_modules/tinybench/dist/index.d.ts')] },
}

/**
 * @typedef {{ line: number, lang: string, code: string }} Block  `line`: 1-based line of the opening fence
 * @typedef {{ pages: number, blocks: number, unchecked: number, errors: string[] }} CheckResult
 *   `pages`: pages with a checked block; `blocks`: blocks checked; `unchecked`: blocks marked as not checked
 */

/** The fenced code blocks of a Markdown text (``` or ~~~ fences, indented up to 3 spaces). */
export function codeBlocks(/** @type {string} */ markdown) {
  /** @type {Block[]} */
  const blocks = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s{[]*)/.exec(lines[i] ?? '')
    if (!open) continue
    const fence = open[1] ?? '```'
    const start = i
    const body = []
    for (i++; i < lines.length && !(lines[i] ?? '').trim().startsWith(fence); i++) body.push(lines[i])
    blocks.push({ line: start + 1, lang: (open[2] ?? '').toLowerCase(), code: body.join('\n') })
  }
  return blocks
}

/**
 * Whether a page asks for its blocks to be typechecked: a line `<!-- typecheck -->` (an HTML comment, not
 * front matter, which Biome's Markdown formatter does not keep).
 */
export function isCheckable(/** @type {string} */ markdown) {
  return /^<!-- typecheck -->$/m.test(markdown)
}

/** Whether a fenced block is TypeScript or JavaScript: the blocks the check is for. */
export function isCode(/** @type {Block} */ block) {
  return TS_LANGS.has(block.lang) || JS_LANGS.has(block.lang)
}

/**
 * How the check treats each ```ts/```js block of a page: `typecheck` (the page has the mark), `quote` (the
 * page quotes an example), `unchecked` (the block is marked, with its reason), or `missing` (none of these).
 * @param {string} markdown
 * @returns {(Block & { how: 'typecheck' | 'quote' | 'unchecked' | 'missing', reason?: string })[]}
 */
export function snippetPlan(markdown) {
  const lines = markdown.split('\n')
  const how = isCheckable(markdown) ? 'typecheck' : QUOTES_MARK.test(markdown) ? 'quote' : 'missing'
  return codeBlocks(markdown)
    .filter(isCode)
    .map((block) => {
      const reason = UNCHECKED_MARK.exec((lines[block.line - 2] ?? '').trim())?.[1]
      return reason ? { ...block, how: 'unchecked', reason } : { ...block, how }
    })
}

/**
 * Checks the ```ts/```js blocks of `files`: typechecks those of the pages marked `<!-- typecheck -->`, compares
 * those of the pages marked `<!-- quotes examples/<name> -->` with the example's files, and reports every
 * block that is neither checked nor marked `<!-- unchecked: reason -->`. Errors name the page and its line.
 * @param {string[]} files Markdown files
 * @returns {CheckResult}
 */
export function checkPages(files) {
  /** @type {CheckResult} */
  const result = { pages: 0, blocks: 0, unchecked: 0, errors: [] }
  /** @type {ts.Program | undefined} */
  let previous
  for (const file of files) {
    const markdown = readFileSync(file, 'utf8')
    const page = relative(docsDir, file)
    const plan = snippetPlan(markdown)
    const checked = plan.filter((block) => block.how === 'typecheck' || block.how === 'quote')
    if (checked.length > 0) result.pages++
    result.blocks += checked.length
    result.unchecked += plan.filter((block) => block.how === 'unchecked').length
    for (const block of plan.filter((b) => b.how === 'missing'))
      result.errors.push(
        `${page}:${block.line}: this \`\`\`${block.lang} block is not checked: mark the page \`<!-- typecheck -->\` ` +
          '(or `<!-- quotes examples/<name> -->` for a page that quotes an example), or put ' +
          '`<!-- unchecked: <why> -->` on the line above its fence',
      )
    const quoted = QUOTES_MARK.exec(markdown)?.[1]
    if (quoted && !isCheckable(markdown))
      for (const block of checked) result.errors.push(...checkQuote(page, block, quoted))
    if (!isCheckable(markdown)) continue
    const root = join(docsDir, '.snippets', page.replace(/\.md$/, '').replaceAll(/[\\/]/g, '-'))
    /** @type {Map<string, string>} */
    const project = new Map()
    for (const block of checked) {
      const firstLine = block.code.split('\n', 1)[0] ?? ''
      const named = PATH_COMMENT.exec(firstLine)?.[1]
      const extension = JS_LANGS.has(block.lang) ? 'mjs' : 'ts'
      const path = join(root, named ?? `snippet-line-${block.line}.${extension}`)
      project.set(path, block.code)
      previous = ts.createProgram({
        rootNames: [path],
        options: OPTIONS,
        host: host(project),
        oldProgram: previous,
      })
      const source = previous.getSourceFile(path)
      const diagnostics = [
        ...previous.getOptionsDiagnostics(),
        ...previous.getGlobalDiagnostics(),
        ...previous.getSyntacticDiagnostics(source),
        ...previous.getSemanticDiagnostics(source),
      ]
      for (const d of diagnostics) result.errors.push(describe(d, page, block, path))
    }
  }
  return result
}

/** A quoted block: its first line `// <path>` names a file of the example, and the rest is part of it. */
function checkQuote(/** @type {string} */ page, /** @type {Block} */ block, /** @type {string} */ example) {
  const [first = '', ...rest] = block.code.split('\n')
  const path = QUOTE_PATH.exec(first)?.[1]
  if (!path)
    return [
      `${page}:${block.line}: a quoted block starts with \`// <path>\`, a file of ${example}; got "${first}"`,
    ]
  const file = join(docsDir, '..', example, path)
  if (!existsSync(file)) return [`${page}:${block.line}: ${example}/${path} does not exist`]
  if (!readFileSync(file, 'utf8').includes(rest.join('\n')))
    return [
      `${page}:${block.line}: the block is not a verbatim part of ${example}/${path}: copy it from there again`,
    ]
  return []
}

const base = ts.createCompilerHost(OPTIONS, true)
/** Files read from disk (lib, @types, package declarations), parsed once for all blocks. */
/** @type {Map<string, ts.SourceFile | undefined>} */
const parsed = new Map()

/** A compiler host that serves the page's blocks from memory and everything else from disk. */
function host(/** @type {Map<string, string>} */ project) {
  return {
    ...base,
    fileExists: (/** @type {string} */ f) => project.has(f) || base.fileExists(f),
    readFile: (/** @type {string} */ f) => project.get(f) ?? base.readFile(f),
    directoryExists: (/** @type {string} */ d) =>
      [...project.keys()].some((f) => f.startsWith(`${d}/`)) || ts.sys.directoryExists(d),
    realpath: (/** @type {string} */ f) => (project.has(f) ? f : (ts.sys.realpath?.(f) ?? f)),
    getSourceFile: (
      /** @type {string} */ f,
      /** @type {ts.ScriptTarget | ts.CreateSourceFileOptions} */ language,
      /** @type {((message: string) => void) | undefined} */ onError,
    ) => {
      const text = project.get(f)
      if (text !== undefined) return ts.createSourceFile(f, text, language)
      if (!parsed.has(f)) parsed.set(f, base.getSourceFile(f, language, onError))
      return parsed.get(f)
    },
  }
}

/** `page.md:line:column: message`, the line being the page's (the fence's line plus the line in the block). */
function describe(
  /** @type {ts.Diagnostic} */ d,
  /** @type {string} */ page,
  /** @type {Block} */ block,
  /** @type {string} */ path,
) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n    ')
  if (!d.file || d.start === undefined) return `${page}:${block.line}: TS${d.code}: ${message}`
  const at = d.file.getLineAndCharacterOfPosition(d.start)
  if (d.file.fileName !== path)
    return `${page}:${block.line}: (in ${d.file.fileName}) TS${d.code}: ${message}`
  return `${page}:${block.line + 1 + at.line}:${at.character + 1}: TS${d.code}: ${message}`
}

/**
 * Every .md file under `folder`, the generated API reference left out: typedoc writes it from the packages'
 * doc comments, whose examples are the packages' to check.
 */
export function markdownFiles(/** @type {string} */ folder) {
  /** @type {string[]} */
  const files = []
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory() && path !== join(docsDir, 'src', 'api')) files.push(...markdownFiles(path))
    else if (entry.isFile() && entry.name.endsWith('.md')) files.push(path)
  }
  return files.sort()
}

/** What the check reads by default: every page of the site, and the docs package's own Markdown. */
export const DOCS = [join(docsDir, 'src'), join(docsDir, 'README.md'), join(docsDir, 'api-intro.md')]

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const targets = (args.length > 0 ? args : DOCS).map((a) => resolve(a))
  const files = targets.flatMap((t) => (statSync(t).isDirectory() ? markdownFiles(t) : [t]))
  const started = performance.now()
  const { pages, blocks, unchecked, errors } = checkPages(files)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  if (errors.length > 0) {
    console.error(
      `check-snippets: ${errors.length} error(s) in the code blocks of the docs:\n${errors.join('\n')}`,
    )
    process.exitCode = 1
  } else {
    console.log(
      `check-snippets: ${blocks} blocks in ${pages} pages checked, ${unchecked} marked unchecked (${seconds} s)`,
    )
  }
}
