import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { INDEX_STYLES } from './index-styles.js'
import { INDEX_BODY } from './index-template.js'
import type { IndexData } from './index-types.js'
import { STYLES } from './styles.js'
import { BODY } from './template.js'
import type { ReportData } from './types.js'

// The pages' scripts: ES modules compiled by tsc next to this file, joined in dependency order.
const FLAMEGRAPH_MODULES = [
  './types.js',
  './browser/format.js',
  './browser/dom.js',
  './browser/tree.js',
  './browser/chart.js',
  './browser/flame.js',
  './browser/main.js',
]
const INDEX_MODULES = ['./browser/dom.js', './browser/index-main.js']

const scripts = new Map<string, { code: string; hash: string }>()

/** Renders a flamegraph page: one self-contained HTML file, no network, all script, style and data inline. */
export function renderReport(data: ReportData): string {
  return page('memgate flamegraph', STYLES, BODY, data, FLAMEGRAPH_MODULES)
}

/** Renders the index of a Vitest run's artifacts, as self-contained as a flamegraph page. */
export function renderIndex(data: IndexData): string {
  return page('memgate report', INDEX_STYLES, INDEX_BODY, data, INDEX_MODULES)
}

function page(title: string, styles: string, body: string, data: unknown, modules: string[]): string {
  const key = modules.join()
  let script = scripts.get(key)
  if (script === undefined) {
    const code = bundle(modules)
    script = { code, hash: createHash('sha256').update(code).digest('base64') }
    scripts.set(key, script)
  }
  const { code, hash } = script
  // `<` escaped so no text in the data can close the <script> element that holds it.
  const json = JSON.stringify(data).replace(/</g, '\\u003c')
  // Only this page's own script may run: no inline event handlers, no loads from anywhere.
  const policy = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'`
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${styles}</style>`,
    '</head>',
    '<body>',
    body,
    `<script type="application/json" id="memgate-data">${json}</script>`,
    `<script type="module">${code}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

/** Joins the compiled modules into one module: their imports are each other, so they are dropped. */
function bundle(modules: string[]): string {
  const parts = modules.map((path) => {
    const code = readFileSync(new URL(path, import.meta.url), 'utf8')
    return code
      .replace(/^import\s[^;]*;[ \t]*$/gm, '')
      .replace(/^export \{\};?[ \t]*$/gm, '')
      .replace(/^export (?=(?:async )?function|const |let |class )/gm, '')
      .replace(/^\/\/# sourceMappingURL=.*$/gm, '')
      .replace(/^\/\/\/ <reference .*$/gm, '')
      .trim()
  })
  const code = parts.join('\n')
  if (/<\/script|<!--/i.test(code))
    throw new Error('The report script must not contain "</script" or "<!--".')
  return code
}
