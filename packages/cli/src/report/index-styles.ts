/** The index page's stylesheet. */
export const INDEX_STYLES = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #b4235a; --ok: #1f7a3f; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f6f7f9; }
header { padding: 16px 24px 8px; }
h1 { margin: 0; font-size: 20px; }
h1 span { font-weight: 500; color: var(--muted); overflow-wrap: anywhere; }
h2 { margin: 0; font-size: 15px; }
main { padding: 0 24px 24px; display: grid; gap: 16px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 0; overflow-x: auto; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; margin-bottom: 8px; }
.note { margin: 4px 0 0; color: var(--muted); font-size: 12px; }
input[type="search"] { font: inherit; padding: 3px 8px; border: 1px solid var(--line); border-radius: 6px; width: 240px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
th button { font: inherit; font-weight: 600; border: 0; padding: 0; background: none; cursor: pointer; color: inherit; }
th button[aria-sort]::after { content: " ↓"; color: var(--muted); }
th button[aria-sort="ascending"]::after { content: " ↑"; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.file { display: block; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.name { overflow-wrap: anywhere; }
.verdict { white-space: nowrap; font-weight: 600; }
.limit { white-space: nowrap; }
tr.over .verdict { color: var(--accent); }
tr:not(.over) .verdict { color: var(--ok); }
.links a { margin-right: 8px; white-space: nowrap; }
.remark { color: var(--muted); font-size: 12px; }
a { color: var(--accent); }
`
