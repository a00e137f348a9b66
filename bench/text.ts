/**
 * Text helpers for the benchmark corpus: wrapping prose to 72 columns (as
 * OSSNs are written, so mail and lint see realistic lines), and quoting
 * YAML scalars safely.
 */

/** Wraps `text` to `width` columns; lines after the first get `indent`. */
export function wrap(text: string, width = 72, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const prefix = lines.length === 0 ? '' : indent;
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push((lines.length === 0 ? '' : indent) + line);
  return lines.join('\n');
}

/** Indents every non-empty line of `block` by `indent` (code inside list items). */
export function indentBlock(block: string, indent: string): string {
  return block
    .split('\n')
    .map((line) => (line ? indent + line : line))
    .join('\n');
}

/**
 * A YAML scalar for `value`: plain when it cannot be misread, else
 * double-quoted (JSON strings are valid YAML double-quoted scalars).
 */
export function yamlScalar(value: string): string {
  const plain = /^[A-Za-z][A-Za-z0-9 ._()/+-]*$/.test(value) && !/\s$/.test(value) && !/^(true|false|yes|no|on|off|null)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** A single-quoted YAML scalar: backslashes stay literal, which suits regular expressions. */
export function yamlSingleQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Escapes `value` for use inside a regular expression. */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lower-case slug of letters and digits joined by dashes. */
export function slugify(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
