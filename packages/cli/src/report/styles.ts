/** The page's stylesheet. */
export const STYLES = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #b4235a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f6f7f9; }
header { padding: 16px 24px 8px; }
h1 { margin: 0; font-size: 20px; }
#back { font-size: 13px; color: var(--accent); }
h1 span { font-weight: 500; color: var(--muted); overflow-wrap: anywhere; }
main { padding: 0 24px 24px; display: grid; gap: 16px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 0; }
h2 { margin: 0; font-size: 15px; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; margin-bottom: 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--muted); }
button:disabled { cursor: not-allowed; color: #a0a6b2; }
button[aria-pressed="true"] { background: var(--ink); color: #fff; border-color: var(--ink); }
.group { display: inline-flex; gap: 4px; }
input[type="search"] { font: inherit; padding: 3px 8px; border: 1px solid var(--line); border-radius: 6px; width: 260px; }
.readout { margin: 4px 0 0; color: var(--muted); font-size: 12px; min-height: 1.45em; }
.legend { color: var(--muted); font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 8px; vertical-align: -1px; }
.swatch.heap, .area.heap { background: #e8743b; fill: #e8743b; fill-opacity: .55; }
.swatch.external, .area.external { background: #3b8be8; fill: #3b8be8; fill-opacity: .5; }
.swatch.rss { background: #5b6475; }
svg { display: block; width: 100%; }
.grid { stroke: #eceef2; }
.axis { fill: var(--muted); font-size: 11px; }
.line.rss { fill: none; stroke: #5b6475; stroke-width: 1.5; stroke-dasharray: 4 3; }
.peak { fill: var(--accent); }
.peak-label { fill: var(--accent); font-size: 12px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
.guide { stroke: var(--ink); stroke-opacity: .4; }
.limit { stroke: #c0392b; stroke-width: 1.5; stroke-dasharray: 6 3; }
.limit-label { fill: #c0392b; font-size: 12px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
.crossing { fill: #c0392b; }
#crumbs { display: flex; flex-wrap: wrap; gap: 2px; font-size: 12px; }
.crumb { border: 0; padding: 0 4px; color: var(--muted); background: none; max-width: 24em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.crumb + .crumb::before { content: "› "; }
.crumb:last-child { color: var(--ink); font-weight: 600; }
#flame-box { overflow-x: hidden; }
#flamegraph .frame { cursor: pointer; }
#flamegraph .frame text { font: 11px ui-monospace, monospace; fill: #1d2330; pointer-events: none; }
#flamegraph .frame:hover rect { stroke: var(--ink); stroke-width: 1; }
#flamegraph.searching .frame:not(.match) { opacity: .35; }
#flamegraph .frame.match rect { fill: #d63384; }
.hint { margin: 6px 0 0; color: var(--muted); font-size: 12px; }
#tooltip { position: fixed; z-index: 1; max-width: 520px; padding: 6px 10px; border-radius: 6px; background: #1d2330; color: #fff;
  font-size: 12px; pointer-events: none; overflow-wrap: anywhere; box-shadow: 0 2px 8px #0003; }
#tooltip .place { color: #c5cbd6; font-family: ui-monospace, monospace; }
`
