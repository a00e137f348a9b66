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
  return wikiTableOfLines(table, table.rows.map(wikiRowLines));
}

/** The lines of one row: an optional header cell, then the data cells. */
export function wikiRowLines(row: WikiTable['rows'][number]): string[] {
  return [...(row.head === undefined ? [] : [cell('!', row.head)]), ...row.cells.map((content) => cell('|', content))];
}

/** `wikiTable` from its rows' lines (`wikiRowLines`), which a caller may have kept from an earlier table. */
export function wikiTableOfLines(table: Omit<WikiTable, 'rows'>, rows: readonly (readonly string[])[]): string {
  const lines = [`{| class="${table.className}"`];
  if (table.caption) lines.push(`|+ ${table.caption}`);
  const all = table.header ? [table.header.map((content) => cell('!', content)), ...rows] : rows;
  all.forEach((row, index) => {
    if (index > 0) lines.push('|-');
    for (const line of row) lines.push(line);
  });
  lines.push('|}');
  return lines.join('\n');
}
