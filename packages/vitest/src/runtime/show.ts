/** Whether a value is a RegExp. Not `instanceof`: a test file in a vm context has RegExps of its own realm. */
export function isRegExp(value: unknown): value is RegExp {
  return Object.prototype.toString.call(value) === '[object RegExp]'
}

/** A value as an error message quotes what the user wrote: `"text"`, `/re/i`, `[1, 2]`, `{ kinds: ["x"] }`. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (isRegExp(value)) return String(value)
  // Not its source: a test function passed where the options go would fill the message.
  if (typeof value === 'function') return value.name ? `[function ${value.name}]` : '[function]'
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`
  if (typeof value === 'object' && value !== null)
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${key}: ${show(item)}`)
      .join(', ')} }`
  return String(value)
}
