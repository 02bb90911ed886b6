/// <reference lib="dom" />
import { svg } from './dom.js'
import { formatDuration, formatSize } from './format.js'

type Row = [number, number, number, number]

const HEIGHT = 240
const MARGIN = { top: 16, right: 16, bottom: 24, left: 72 }

/**
 * Draws memory over time: JS heap and external memory stacked, RSS as a line (all as growth above the start,
 * so they share a scale), and the peak of heap + external marked; a peak `limit`, if any, across it with where
 * heap + external first went over it. Hovering shows the reading under the pointer in `readout`, RSS there as
 * the whole process's.
 */
export function drawChart(
  chart: SVGSVGElement,
  readout: HTMLElement,
  timeline: Row[],
  limit: number | null = null,
): void {
  chart.replaceChildren()
  const width = Math.max(320, chart.clientWidth || chart.parentElement?.clientWidth || 800)
  chart.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`)
  chart.setAttribute('height', String(HEIGHT))
  if (timeline.length === 0) {
    chart.append(svg('text', { x: MARGIN.left, y: HEIGHT / 2, class: 'empty' }, 'No memory readings'))
    return
  }
  const rss0 = timeline[0]?.[3] ?? 0
  let [tMax, low, high] = [1, 0, 1]
  for (const [t, heap, external, rssNow] of timeline) {
    const rss = rssNow - rss0
    tMax = Math.max(tMax, t)
    low = Math.min(low, heap, heap + external, rss)
    high = Math.max(high, heap, heap + external, rss)
  }
  if (limit !== null) high = Math.max(high, limit)
  const step = niceStep((high - low) / 4)
  const yMin = Math.floor(low / step) * step
  const yMax = Math.ceil(high / step) * step
  const x = (t: number) => MARGIN.left + (t / tMax) * (width - MARGIN.left - MARGIN.right)
  const y = (bytes: number) =>
    MARGIN.top + (1 - (bytes - yMin) / (yMax - yMin)) * (HEIGHT - MARGIN.top - MARGIN.bottom)

  for (let tick = yMin; tick <= yMax; tick += step) {
    chart.append(
      svg('line', { class: 'grid', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(tick), y2: y(tick) }),
      svg(
        'text',
        { class: 'axis', x: MARGIN.left - 6, y: y(tick) + 4, 'text-anchor': 'end' },
        formatSize(tick),
      ),
    )
  }
  for (const t of [0, tMax / 2, tMax]) {
    const anchor = t === 0 ? 'start' : t === tMax ? 'end' : 'middle'
    chart.append(
      svg('text', { class: 'axis', x: x(t), y: HEIGHT - 6, 'text-anchor': anchor }, formatDuration(t)),
    )
  }
  const line = (points: [number, number][]) => points.map(([t, b]) => `${x(t).toFixed(1)},${y(b).toFixed(1)}`)
  const heap = timeline.map((r): [number, number] => [r[0], r[1]])
  const top = timeline.map((r): [number, number] => [r[0], r[1] + r[2]])
  const first = timeline[0]?.[0] ?? 0
  const last = timeline[timeline.length - 1]?.[0] ?? 0
  const heapArea = [
    ...line(heap),
    ...line([
      [last, 0],
      [first, 0],
    ]),
  ]
  const externalArea = [...line(top), ...line(heap.slice().reverse())]
  chart.append(
    svg('polygon', { class: 'area heap', points: heapArea.join(' ') }),
    svg('polygon', { class: 'area external', points: externalArea.join(' ') }),
    svg('polyline', { class: 'line rss', points: line(timeline.map((r) => [r[0], r[3] - rss0])).join(' ') }),
  )

  const peak = top.reduce((best, point) => (point[1] > best[1] ? point : best))
  const [px, py] = [x(peak[0]), y(peak[1])]
  const label = `peak ${formatSize(peak[1])} at ${formatDuration(peak[0])}`
  chart.append(
    svg('circle', { class: 'peak', cx: px, cy: py, r: 4 }),
    svg(
      'text',
      { class: 'peak-label', x: px, y: Math.max(12, py - 8), 'text-anchor': anchorAt(px, width) },
      label,
    ),
  )

  if (limit !== null) drawLimit(chart, limit, top, { x, y, width })

  const guide = svg('line', {
    class: 'guide',
    y1: MARGIN.top,
    y2: HEIGHT - MARGIN.bottom,
    visibility: 'hidden',
  })
  chart.append(guide)
  chart.onmousemove = (event) => {
    const box = chart.getBoundingClientRect()
    const t = ((event.clientX - box.left - MARGIN.left) / (width - MARGIN.left - MARGIN.right)) * tMax
    const row = nearest(timeline, t)
    guide.setAttribute('x1', String(x(row[0])))
    guide.setAttribute('x2', String(x(row[0])))
    guide.setAttribute('visibility', 'visible')
    readout.textContent =
      `At ${formatDuration(row[0])}: JS heap ${formatSize(row[1])}, external ${formatSize(row[2])} ` +
      `(above the start), RSS ${formatSize(row[3])} (${formatSize(row[3] - rss0)} above the start)`
  }
  chart.onmouseleave = () => guide.setAttribute('visibility', 'hidden')
}

/** The limit as a line across the chart, labelled, with a mark where heap + external first went over it. */
function drawLimit(
  chart: SVGSVGElement,
  limit: number,
  top: [number, number][],
  scale: { x: (t: number) => number; y: (bytes: number) => number; width: number },
): void {
  const { x, y, width } = scale
  const crossed = top.find(([, bytes]) => bytes > limit)
  const label = crossed
    ? `limit ${formatSize(limit)}, over it from ${formatDuration(crossed[0])}`
    : `limit ${formatSize(limit)}, not reached`
  chart.append(
    svg('line', {
      class: 'limit',
      x1: MARGIN.left,
      x2: width - MARGIN.right,
      y1: y(limit),
      y2: y(limit),
      'data-bytes': limit,
    }),
    svg(
      'text',
      { class: 'limit-label', x: width - MARGIN.right, y: y(limit) - 6, 'text-anchor': 'end' },
      label,
    ),
  )
  if (crossed) chart.append(svg('circle', { class: 'crossing', cx: x(crossed[0]), cy: y(limit), r: 4 }))
}

/** The timeline as CSV: a header, then one `t,heap,external,rss` row per reading (ms, bytes). */
export function timelineCsv(timeline: Row[]): string {
  return ['t,heap,external,rss', ...timeline.map((row) => row.join(',')), ''].join('\n')
}

/** Offers `text` as a file download. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The smallest round step (1, 2 or 5 times a power of ten) of at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)))
  for (const factor of [1, 2, 5, 10]) if (power * factor >= raw) return power * factor
  return power * 10
}

function nearest(timeline: Row[], t: number): Row {
  let best = timeline[0] as Row
  for (const row of timeline) if (Math.abs(row[0] - t) < Math.abs(best[0] - t)) best = row
  return best
}

function anchorAt(px: number, width: number): string {
  return px < width * 0.2 ? 'start' : px > width * 0.8 ? 'end' : 'middle'
}
