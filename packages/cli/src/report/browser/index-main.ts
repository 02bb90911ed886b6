/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { IndexData, IndexRow } from '../index-types.js'
import { byId, html } from './dom.js'

type SortKey = 'name' | 'peak' | 'allocated' | 'leaked' | 'verdict'

const index = JSON.parse(byId('memgate-data').textContent ?? '{}') as IndexData
const overOnly = byId<HTMLInputElement>('over-only')
const filter = byId<HTMLInputElement>('filter')
const sorting = { key: 'peak' as SortKey, descending: true }

document.title = `memgate report · ${index.dir}`
byId('title-dir').textContent = index.dir
byId('note').textContent = index.note
showRows()
showOthers()
wireIndex()
requestAnimationFrame(() =>
  setTimeout(() => {
    document.documentElement.dataset.ready = performance.now().toFixed(1)
  }),
)

function showRows(): void {
  const text = filter.value.trim().toLowerCase()
  const rows = index.rows
    .filter((row) => (!overOnly.checked || row.over) && (!text || rowText(row).includes(text)))
    .sort(compare)
  const body = byId('tests').querySelector('tbody') as HTMLTableSectionElement
  body.replaceChildren(...rows.map(rowElement))
  byId('shown').textContent =
    rows.length === index.rows.length ? '' : `${rows.length} of ${index.rows.length} shown`
  for (const button of document.querySelectorAll<HTMLButtonElement>('th button[data-sort]')) {
    if (button.dataset.sort === sorting.key)
      button.setAttribute('aria-sort', sorting.descending ? 'descending' : 'ascending')
    else button.removeAttribute('aria-sort')
  }
}

function rowElement(row: IndexRow): HTMLTableRowElement {
  const tr = html('tr', { class: row.over ? 'over' : '', 'data-verdict': row.verdict })
  const test = html('td', { class: 'test' })
  test.append(html('span', { class: 'file' }, row.file), html('span', { class: 'name' }, row.name))
  const links = html('td', { class: 'links' })
  if (row.page) links.append(link(row.page, 'flamegraph', 'page'))
  if (row.profile) links.append(link(row.profile, '.heapprofile', 'profile'))
  if (row.snapshot) links.append(link(row.snapshot, '.heapsnapshot', 'snapshot'))
  if (row.remark) links.append(html('span', { class: 'remark' }, row.remark))
  if (!links.hasChildNodes()) links.textContent = '-'
  tr.append(
    test,
    html('td', { class: 'num', 'data-bytes': row.peak[1] }, row.peak[0]),
    html('td', { class: 'num', 'data-bytes': row.allocated[1] }, row.allocated[0]),
    html('td', { class: 'num', 'data-bytes': row.leaked[1] }, row.leaked[0]),
    html('td', { class: 'limit' }, row.limit),
    html('td', { class: 'verdict' }, row.verdict),
    html('td', { class: 'top' }, row.top),
    links,
  )
  return tr
}

function showOthers(): void {
  if (index.others.length === 0) return
  byId('others-section').hidden = false
  byId('others').replaceChildren(
    ...index.others.map((other) => {
      const item = html('li', {})
      item.append(html('span', { class: 'name' }, other.path), ' ')
      if (other.page) item.append(link(other.page, 'flamegraph', 'page'), ' ')
      item.append(link(other.profile, '.heapprofile', 'profile'), ' ')
      item.append(html('span', { class: 'remark' }, `written ${other.written}. ${other.remark}`.trim()))
      return item
    }),
  )
}

/** A link to a file of the folder: the path is relative, made by memgate, never a URL with a scheme. */
function link(href: string, text: string, kind: string): HTMLAnchorElement {
  return html('a', { href: /^[a-z][\w+.-]*:/i.test(href) ? '#' : href, 'data-link': kind }, text)
}

function rowText(row: IndexRow): string {
  return `${row.file}\n${row.name}`.toLowerCase()
}

function compare(a: IndexRow, b: IndexRow): number {
  const { key, descending } = sorting
  let order: number
  if (key === 'name') order = `${a.file} ${a.name}`.localeCompare(`${b.file} ${b.name}`)
  else if (key === 'verdict') order = Number(a.over) - Number(b.over) || a.verdict.localeCompare(b.verdict)
  else order = a[key][1] - b[key][1]
  return descending ? -order : order
}

function wireIndex(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('th button[data-sort]')) {
    button.onclick = () => {
      const key = button.dataset.sort as SortKey
      sorting.descending = sorting.key === key ? !sorting.descending : key !== 'name'
      sorting.key = key
      showRows()
    }
  }
  overOnly.onchange = showRows
  filter.oninput = showRows
}
