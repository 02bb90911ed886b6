/// <reference lib="dom" />

// The page builds every element here, and puts data in only as text: never as markup.

const SVG_NS = 'http://www.w3.org/2000/svg'

type Attributes = Record<string, string | number>

/** An HTML element with attributes and, optionally, text. */
export function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  return setUp(document.createElement(tag), attributes, text)
}

/** An SVG element with attributes and, optionally, text. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  text?: string,
): SVGElementTagNameMap[K] {
  return setUp(document.createElementNS(SVG_NS, tag), attributes, text)
}

/** The page's element with this id. */
export function byId<T extends HTMLElement | SVGSVGElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id)
  if (!element) throw new Error(`The page has no #${id}`)
  return element as unknown as T
}

function setUp<T extends Element>(element: T, attributes: Attributes, text?: string): T {
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value))
  if (text !== undefined) element.textContent = text
  return element
}
