/**
 * Wikitext tables for the parts herald writes itself. Cells are wikitext
 * already escaped by the caller; one cell per line, with a space after the
 * marker so content never reads as `|-`, `|}` or `|+`.
 */

export interface WikiTable {
  className: string;
  caption?: string;
  header?: readonly string[];
  /** Each row: an optional header cell (`!`, for key/value tables) then data cells. */
  rows: readonly { head?: string; cells: readonly string[] }[];
}

const cell = (marker: '!' | '|', content: string): string => `${marker} ${content}`.trimEnd();

export function wikiTable(table: WikiTable): string {
  const lines = [`{| class="${table.className}"`];
  if (table.caption) lines.push(`|+ ${table.caption}`);
  const rows: string[][] = [];
  if (table.header) rows.push(table.header.map((content) => cell('!', content)));
  for (const row of table.rows) {
    rows.push([...(row.head === undefined ? [] : [cell('!', row.head)]), ...row.cells.map((content) => cell('|', content))]);
  }
  rows.forEach((row, index) => {
    if (index > 0) lines.push('|-');
    lines.push(...row);
  });
  lines.push('|}');
  return lines.join('\n');
}
