import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { ReportCapture } from './data.js'
import { toReportData } from './data.js'
import { STYLES } from './styles.js'
import { BODY } from './template.js'

// The page's script: ES modules compiled by tsc next to this file, joined in dependency order.
const SCRIPT_MODULES = [
  './types.js',
  './browser/format.js',
  './browser/dom.js',
  './browser/tree.js',
  './browser/chart.js',
  './browser/flame.js',
  './browser/main.js',
]

let script: string | undefined

/** Renders a capture as one self-contained HTML page: no network, all script, style and data inline. */
export function renderReport(capture: ReportCapture): string {
  script ??= bundle()
  // `<` escaped so no text in the data can close the <script> element that holds it.
  const data = JSON.stringify(toReportData(capture)).replace(/</g, '\\u003c')
  const hash = createHash('sha256').update(script).digest('base64')
  // Only this page's own script may run: no inline event handlers, no loads from anywhere.
  const policy = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'`
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>memgate flamegraph</title>',
    `<style>${STYLES}</style>`,
    '</head>',
    '<body>',
    BODY,
    `<script type="application/json" id="memgate-data">${data}</script>`,
    `<script type="module">${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

/** Joins the compiled modules into one module: their imports are each other, so they are dropped. */
function bundle(): string {
  const parts = SCRIPT_MODULES.map((path) => {
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
