import { VARIANTS, type VariantName } from '../../src/variant.js'
import type { LoadResults, PhaseResult } from './results.js'

const COLOURS: Record<VariantName, string> = { leaky: '#c0392b', fixed: '#2471a3' }
const WIDTH = 860
const PANEL = { height: 190, left: 70, right: 20, top: 34, bottom: 36 }

interface Panel {
  title: string
  unit: string
  value: (phase: PhaseResult) => number
}

const PANELS: Panel[] = [
  { title: 'Median latency (p50)', unit: 'ms', value: (p) => p.latency.p50 },
  { title: '99th percentile latency (p99)', unit: 'ms', value: (p) => p.latency.p99 },
  { title: 'Gateway JS heap after a full GC', unit: 'MB', value: (p) => p.heapAfterGc / 1e6 },
]

/** The load test's results as one self-contained SVG: latency and memory against requests served. */
export function renderChart(results: LoadResults): string {
  const height = PANELS.length * (PANEL.height + PANEL.top + PANEL.bottom) + 40
  const maxX = Math.max(...results.phases.map((p) => p.servedSoFar))
  const parts = PANELS.map((panel, i) =>
    renderPanel(panel, results.phases, maxX, i * (PANEL.height + PANEL.top + PANEL.bottom)),
  )
  const legend = VARIANTS.map(
    (variant, i) =>
      `<rect x="${PANEL.left + i * 110}" y="${height - 22}" width="14" height="4" fill="${COLOURS[variant]}"/>` +
      `<text x="${PANEL.left + 20 + i * 110}" y="${height - 16}">${variant}</text>`,
  ).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-labelledby="title">
<title id="title">Load test: latency and heap of the leaky and fixed gateways against requests served</title>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
${legend}
<text x="${WIDTH - PANEL.right}" y="${height - 16}" text-anchor="end" fill="#555">x: requests served (thousands) · ${escapeXml(results.date.slice(0, 10))}</text>
</svg>
`
}

function renderPanel(panel: Panel, phases: PhaseResult[], maxX: number, top: number): string {
  const plotWidth = WIDTH - PANEL.left - PANEL.right
  const y0 = top + PANEL.top + PANEL.height
  const maxY = niceCeiling(Math.max(...phases.map(panel.value), 1e-9))
  const x = (served: number) => PANEL.left + (served / maxX) * plotWidth
  const y = (value: number) => y0 - (value / maxY) * PANEL.height
  const out: string[] = [
    `<text x="${PANEL.left}" y="${top + 20}" font-size="14" font-weight="600">${escapeXml(panel.title)} (${panel.unit})</text>`,
  ]
  for (let i = 0; i <= 5; i++) {
    const value = (maxY * i) / 5
    out.push(
      `<line x1="${PANEL.left}" x2="${WIDTH - PANEL.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e5e5"/>`,
      `<text x="${PANEL.left - 6}" y="${y(value) + 4}" text-anchor="end" fill="#555">${format(value)}</text>`,
    )
  }
  const xStep = niceStep(maxX / 6)
  for (let served = 0; served <= maxX; served += xStep) {
    out.push(
      `<text x="${x(served)}" y="${y0 + 16}" text-anchor="middle" fill="#555">${format(served / 1000)}</text>`,
    )
  }
  out.push(`<line x1="${PANEL.left}" x2="${WIDTH - PANEL.right}" y1="${y0}" y2="${y0}" stroke="#999"/>`)
  for (const variant of VARIANTS) {
    const points = phases
      .filter((p) => p.variant === variant)
      .map((p) => [x(p.servedSoFar), y(panel.value(p))])
    if (points.length === 0) continue
    const path = points.map(([px, py]) => `${px?.toFixed(1)},${py?.toFixed(1)}`).join(' ')
    out.push(`<polyline points="${path}" fill="none" stroke="${COLOURS[variant]}" stroke-width="2"/>`)
    for (const [px, py] of points) {
      out.push(`<circle cx="${px?.toFixed(1)}" cy="${py?.toFixed(1)}" r="3" fill="${COLOURS[variant]}"/>`)
    }
  }
  return out.join('\n')
}

// Axis ends and steps at 1, 2 or 5 times a power of ten, so the ticks read as round numbers.
function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value))
  return ([1, 2, 5, 10].find((s) => s * magnitude >= value) ?? 10) * magnitude
}

function niceStep(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value))
  return ([1, 2, 5].find((s) => s * magnitude >= value) ?? 10) * magnitude
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 1 : 0)
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)
}
