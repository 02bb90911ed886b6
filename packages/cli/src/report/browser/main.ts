/// <reference lib="dom" />
import type { ProfileTable, ReportData } from '../types.js'
import { download, drawChart, timelineCsv } from './chart.js'
import { byId, html } from './dom.js'
import { drawFlame, type FlameView, frameAt, markMatches } from './flame.js'
import { formatShare, formatSize } from './format.js'
import { buildTree, type FlameNode, type FrameInfo, matchedBytes, pathTo, readFrames } from './tree.js'

const EMPTY: ProfileTable = { strings: ['(root)', ''], frames: [0, 1, 0, 0, 1], nodes: [-1, 0, 0] }

const data = JSON.parse(byId('memgate-data').textContent ?? '{}') as ReportData
const flameChart = byId<SVGSVGElement>('flamegraph')
const memoryChart = byId<SVGSVGElement>('chart')
const tooltip = byId('tooltip')
const search = byId<HTMLInputElement>('search')
const hideInternal = byId<HTMLInputElement>('hide-internal')

type View = 'allocated' | 'retained'

const state = {
  profile: (data.profiles.allocated ? 'allocated' : 'retained') as View,
  icicles: false,
  root: undefined as unknown as FlameNode,
  zoom: undefined as unknown as FlameNode,
  frames: [] as FrameInfo[],
  drawn: [] as FlameNode[],
}

showFacts()
const hasChart = data.timeline.length > 0
byId('memory').hidden = !hasChart
if (hasChart) drawChart(memoryChart, byId('chart-readout'), data.timeline, data.limit)
rebuild()
wireControls()
// Ready once the first frame with the charts has been painted.
requestAnimationFrame(() =>
  setTimeout(() => {
    document.documentElement.dataset.ready = performance.now().toFixed(1)
  }),
)

function showFacts(): void {
  document.title = `memgate · ${data.title}`
  byId('title-script').textContent = data.title
  byId('stats-title').textContent = data.factsTitle
  byId('stats-list').replaceChildren(
    ...data.facts.flatMap(([term, value]) => [
      html('dt', {}, term),
      html('dd', { 'data-stat': term }, value),
    ]),
  )
  // Only a relative link: the index next to this page, never a URL with a scheme.
  if (data.back && !/^[a-z][\w+.-]*:/i.test(data.back)) {
    const back = byId<HTMLAnchorElement>('back')
    back.setAttribute('href', data.back)
    back.hidden = false
  }
}

/** Builds the tree of the chosen profile again (profile or internals changed) and shows it whole. */
function rebuild(): void {
  const table = data.profiles[state.profile] ?? EMPTY
  state.frames = readFrames(table)
  state.root = buildTree(table, state.frames, hideInternal.checked)
  zoomTo(state.root)
}

function zoomTo(node: FlameNode): void {
  state.zoom = node
  draw()
  const crumbs = pathTo(node).map((step) => {
    const name = step.parent ? (state.frames[step.frame]?.name ?? '') : 'all'
    const button = html('button', { type: 'button', class: 'crumb' }, name)
    button.onclick = () => zoomTo(step)
    return button
  })
  byId('crumbs').replaceChildren(...crumbs)
  byId<HTMLButtonElement>('reset').disabled = node === state.root
}

function draw(): void {
  const view: FlameView = { zoom: state.zoom, frames: state.frames, icicles: state.icicles, query: query() }
  state.drawn = drawFlame(flameChart, view)
  showMatches()
}

function query(): string {
  return search.value.trim().toLowerCase()
}

function showMatches(): void {
  const text = query()
  const result = byId('search-result')
  if (!text) {
    result.textContent = ''
    return
  }
  const bytes = matchedBytes(state.zoom, state.frames, text)
  result.textContent = `Matched ${formatSize(bytes)}, ${formatShare(bytes, state.root.total)} of the total`
}

function wireControls(): void {
  const allocated = byId<HTMLButtonElement>('view-allocated')
  const retained = byId<HTMLButtonElement>('view-retained')
  for (const view of ['allocated', 'retained'] as const) {
    if (data.profiles[view]) continue
    const button = view === 'allocated' ? allocated : retained
    button.disabled = true
    button.title = data.absent[view]
    // A disabled button shows no tooltip in some browsers: its wrapper does.
    byId(`${view}-wrap`).title = data.absent[view]
  }
  allocated.setAttribute('aria-pressed', String(state.profile === 'allocated'))
  retained.setAttribute('aria-pressed', String(state.profile === 'retained'))
  const pickProfile = (profile: View) => {
    state.profile = profile
    allocated.setAttribute('aria-pressed', String(profile === 'allocated'))
    retained.setAttribute('aria-pressed', String(profile === 'retained'))
    rebuild()
  }
  allocated.onclick = () => pickProfile('allocated')
  retained.onclick = () => pickProfile('retained')

  const flames = byId<HTMLButtonElement>('mode-flames')
  const icicles = byId<HTMLButtonElement>('mode-icicles')
  const pickMode = (iciclesOn: boolean) => {
    state.icicles = iciclesOn
    flames.setAttribute('aria-pressed', String(!iciclesOn))
    icicles.setAttribute('aria-pressed', String(iciclesOn))
    draw()
  }
  flames.onclick = () => pickMode(false)
  icicles.onclick = () => pickMode(true)

  hideInternal.onchange = rebuild
  byId('reset').onclick = () => zoomTo(state.root)
  search.oninput = () => {
    markMatches(flameChart, state.drawn, state.frames, query())
    showMatches()
  }
  byId('csv').onclick = () => download('memgate-timeline.csv', timelineCsv(data.timeline), 'text/csv')

  flameChart.onclick = (event) => {
    const node = frameAt(event, state.drawn)
    if (node) zoomTo(node)
  }
  flameChart.onmousemove = (event) => showTooltip(event, frameAt(event, state.drawn))
  flameChart.onmouseleave = () => {
    tooltip.hidden = true
  }
  let resizing = 0
  window.addEventListener('resize', () => {
    clearTimeout(resizing)
    resizing = window.setTimeout(() => {
      draw()
      if (hasChart) drawChart(memoryChart, byId('chart-readout'), data.timeline, data.limit)
    }, 100)
  })
}

function showTooltip(event: MouseEvent, node: FlameNode | undefined): void {
  if (!node) {
    tooltip.hidden = true
    return
  }
  const frame = state.frames[node.frame]
  const place = frame?.url ? `${frame.url}:${frame.line}:${frame.column}` : '(no file: built into V8 or Node)'
  tooltip.replaceChildren(
    html('strong', {}, node.parent ? (frame?.name ?? '') : 'all'),
    html('div', { class: 'place' }, node.parent ? place : 'every allocation sampled'),
    html(
      'div',
      {},
      `${formatSize(node.total)} (${formatShare(node.total, state.root.total)} of the total), ` +
        `${formatSize(node.self)} in the frame itself`,
    ),
  )
  tooltip.hidden = false
  const x = Math.min(event.clientX + 12, window.innerWidth - tooltip.offsetWidth - 8)
  const y =
    event.clientY + 16 + tooltip.offsetHeight > window.innerHeight
      ? event.clientY - tooltip.offsetHeight - 8
      : event.clientY + 16
  tooltip.style.left = `${Math.max(4, x)}px`
  tooltip.style.top = `${y}px`
}
