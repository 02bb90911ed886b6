/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { svg } from './dom.js'
import type { FlameNode, FrameInfo } from './tree.js'

/** What the flamegraph shows. */
export interface FlameView {
  /** The frame drawn full width (the tree's root unless zoomed). */
  zoom: FlameNode
  frames: FrameInfo[]
  /** Root at the top (icicles) or at the bottom (flames). */
  icicles: boolean
  /** Lower-cased search text; frames whose name or URL contain it are highlighted. */
  query: string
}

const ROW = 18
// Frames narrower than this are not drawn (nor anything they called): they would be invisible.
const MIN_WIDTH = 1
const CHAR_WIDTH = 7

/**
 * Draws the frames under `view.zoom` as SVG, one `<g class="frame" data-index>` each, and returns them in
 * `data-index` order.
 */
export function drawFlame(chart: SVGSVGElement, view: FlameView): FlameNode[] {
  const width = Math.max(320, chart.parentElement?.clientWidth || 1000)
  const { zoom } = view
  const scale = zoom.total > 0 ? width / zoom.total : 0
  const placed: { node: FlameNode; x: number; w: number; level: number }[] = []
  const pending: [FlameNode, number][] = [[zoom, 0]]
  let levels = 1
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, x] = next
    const w = node === zoom ? width : node.total * scale
    if (w < MIN_WIDTH) continue
    const level = node.depth - zoom.depth
    levels = Math.max(levels, level + 1)
    placed.push({ node, x, w, level })
    let childX = x
    for (const child of node.children) {
      pending.push([child, childX])
      childX += child.total * scale
    }
  }
  const fragment = document.createDocumentFragment()
  placed.forEach(({ node, x, w, level }, index) => {
    const frame = view.frames[node.frame]
    const y = (view.icicles ? level : levels - 1 - level) * ROW
    const name = node.parent ? (frame?.name ?? '') : 'all'
    const classes = [
      'frame',
      frame?.internal && node.parent ? 'internal' : '',
      matches(frame, view.query) ? 'match' : '',
    ]
    const group = svg('g', { class: classes.join(' ').trim(), 'data-index': index })
    group.append(
      svg('rect', {
        x: x.toFixed(2),
        y,
        width: Math.max(w - 0.5, 0.5).toFixed(2),
        height: ROW - 1,
        fill: color(node, frame),
      }),
    )
    const fits = Math.floor((w - 8) / CHAR_WIDTH)
    if (fits >= 3) {
      const label = name.length > fits ? `${name.slice(0, fits - 1)}…` : name
      group.append(svg('text', { x: (x + 4).toFixed(2), y: y + ROW - 5 }, label))
    }
    fragment.append(group)
  })
  chart.replaceChildren(fragment)
  chart.setAttribute('viewBox', `0 0 ${width} ${levels * ROW}`)
  chart.setAttribute('height', String(levels * ROW))
  chart.dataset.frames = String(placed.length)
  chart.classList.toggle('searching', view.query !== '')
  return placed.map((p) => p.node)
}

/** Updates which drawn frames match a new search, without drawing again. */
export function markMatches(
  chart: SVGSVGElement,
  drawn: FlameNode[],
  frames: FrameInfo[],
  query: string,
): void {
  chart.classList.toggle('searching', query !== '')
  for (const group of chart.querySelectorAll<SVGGElement>('g.frame')) {
    const node = drawn[Number(group.dataset.index)]
    group.classList.toggle('match', node !== undefined && matches(frames[node.frame], query))
  }
}

/** The drawn frame an event happened on. */
export function frameAt(event: Event, drawn: FlameNode[]): FlameNode | undefined {
  const group = (event.target as Element | null)?.closest<SVGGElement>('g.frame')
  return group ? drawn[Number(group.dataset.index)] : undefined
}

function matches(frame: FrameInfo | undefined, query: string): boolean {
  return query !== '' && frame !== undefined && frame.text.includes(query)
}

/** Warm colors for the user's code, grey-blue for internals, stable per function name. */
function color(node: FlameNode, frame: FrameInfo | undefined): string {
  if (!node.parent || !frame) return 'hsl(220, 10%, 72%)'
  let hash = 0
  for (let i = 0; i < frame.name.length; i++) hash = (hash * 31 + frame.name.charCodeAt(i)) | 0
  const shade = Math.abs(hash % 1000) / 1000
  if (frame.internal) return `hsl(210, 18%, ${68 + shade * 14}%)`
  return `hsl(${Math.round(shade * 45)}, ${70 + Math.round(shade * 20)}%, ${58 + Math.round(shade * 10)}%)`
}
