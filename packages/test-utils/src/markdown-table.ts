/** A Markdown table, its columns padded to one width as the repository's formatter (Biome) writes them. */
export function markdownTable(header: string[], rows: string[][]): string {
  const length = (cell: string) => [...cell].length
  const widths = header.map((_, column) =>
    Math.max(3, ...[header, ...rows].map((cells) => length(cells[column] ?? ''))),
  )
  // Padded by characters, not UTF-16 units, as the formatter counts them.
  const pad = (cell: string, width: number) => cell + ' '.repeat(width - length(cell))
  const line = (cells: string[]) =>
    `| ${widths.map((width, column) => pad(cells[column] ?? '', width)).join(' | ')} |`
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}
