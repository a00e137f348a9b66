/**
 * What a structural YAML error most likely means to an author. The yaml
 * package says where its reading broke down, in its own words ("Nested
 * mappings are not allowed in compact mappings"), often on the line above
 * the mistake; the mistakes behind it are few: a line indented one space
 * off, a value holding ": ", a key without a space after its colon, a value
 * that starts with a bracket. Each is
 * said here at its own place, with the line as it should be written.
 */

export interface YamlMistake {
  /** Offset in the YAML text of the mistake. */
  at: number;
  text: string;
  hint: string;
}

/**
 * The mistake behind the structural error YAML reported at offset `at`, or
 * nothing when none of the common ones explains it.
 */
export function explainStructuralError(source: string, at: number): YamlMistake | undefined {
  const lines = source.split('\n');
  const starts = lineStarts(lines);
  const index = lineIndexAt(starts, at);
  return colonInValue(lines[index]!, starts[index]!, at - starts[index]!) ?? keyWithoutSpace(lines[index]!, starts[index]!) ?? misindented(lines, starts, index + 1);
}

/** The double-quoted value holding offset `at` (a bad escape) as single quotes write it, where a backslash is only a backslash. */
export function asSingleQuoted(source: string, at: number): string | undefined {
  const opening = source.lastIndexOf('"', at);
  if (opening === -1 || opening < source.lastIndexOf('\n', at) || source[opening - 1] === '\\') return undefined;
  const value = /^"((?:[^"\\\n]|\\[^"\n])*)"/.exec(source.slice(opening))?.[1];
  return value === undefined ? undefined : `'${value.replaceAll("'", "''")}'`;
}

function lineStarts(lines: readonly string[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  return starts;
}

function lineIndexAt(starts: readonly number[], at: number): number {
  let index = 0;
  while (index + 1 < starts.length && starts[index + 1]! <= at) index += 1;
  return index;
}

/** `- ` markers and the key of a `key: value` line: the key, and where its value starts. */
const keyLine = /^(\s*(?:-\s+)*)([A-Za-z_][\w.-]*):( +)(.*)$/;

/** YAML's words for a `[` or `{` it never saw closed; the closer it wanted. */
export const unclosedFlowMessage = /Flow (?:sequence|map|mapping) in block collection must be sufficiently indented and end with a ([\]}])/;

/**
 * A value that starts with a bracket (`title: [draft`, `title: [draft] Heap
 * overflow`): YAML reads a list or a mapping there, never closed, or closed
 * with text after it. Said at the bracket, with the value quoted.
 */
export function bracketMistake(yamlMessage: string, source: string, at: number): YamlMistake | undefined {
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = source.indexOf('\n', at);
  const line = source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const field = keyLine.exec(line);
  if (!field || !/^[[{]/.test(field[4]!)) return undefined;
  const bracket = lineStart + line.length - field[4]!.length;
  const value = field[4]!.replace(/\s+#.*$/, '').trimEnd();
  const quoted = `${field[2]}: ${JSON.stringify(value)}`;
  const closer = unclosedFlowMessage.exec(yamlMessage)?.[1];
  const kind = source[bracket] === '[' ? 'list' : 'mapping';
  if (closer && at === bracket) {
    return {
      at,
      text: `the "${source[at]}" here opens a ${kind} that is never closed with "${closer}", so YAML reads the lines after it as part of it`,
      hint: `Close it with "${closer}" on the same line; if the bracket is part of the text, quote the value: ${quoted}.`,
    };
  }
  // `[draft] Heap overflow`: a closed list, then text YAML has no place for.
  if (!closer && /^Unexpected scalar at node end/.test(yamlMessage) && at > bracket && at - lineStart < line.length) {
    return {
      at: bracket,
      text: `the value of "${field[2]}" starts with "${source[bracket]}", so YAML reads a ${kind} there and has no place for the text after it`,
      hint: `Quote the value: ${quoted}.`,
    };
  }
  return undefined;
}

/** `title: Nova: bad thing`: YAML reads the second `: ` as the start of a nested mapping. */
function colonInValue(line: string, lineStart: number, column: number): YamlMistake | undefined {
  const match = keyLine.exec(line);
  if (!match) return undefined;
  const valueColumn = match[1]!.length + match[2]!.length + 1 + match[3]!.length;
  const value = match[4]!.replace(/\s+#.*$/, '').trimEnd();
  if (column < valueColumn || /^["'[{|>]/.test(value) || !/: |:$/.test(value)) return undefined;
  return {
    at: lineStart + valueColumn,
    text: `the value of "${match[2]}" holds ": ", which YAML reads as the start of another field`,
    hint: `Quote the value: ${match[2]}: ${JSON.stringify(value)}.`,
  };
}

/** `title:Heap overflow`: without a space after the colon, YAML reads no key at all. */
function keyWithoutSpace(line: string, lineStart: number): YamlMistake | undefined {
  const match = /^(\s*(?:-\s+)*)([A-Za-z_][\w-]*):([^\s:/].*)$/.exec(line);
  if (!match) return undefined;
  const colon = match[1]!.length + match[2]!.length;
  return {
    at: lineStart + colon,
    text: `"${match[2]}:" has no space after its colon, so YAML does not read it as a field`,
    hint: `Put a space after the colon: ${match[2]}: ${match[3]!.trim()}.`,
  };
}

interface Level {
  indent: number;
  /** A level only `- ` items start (a list indented under its key), where a field has no place. */
  items?: boolean;
  /** The line (1-based) and key that set this level, to name in the message. */
  line: number;
  key: string;
}

/**
 * The first line, up to the one after `errorLine` (YAML often breaks down on
 * the line above a line indented too deep), whose indentation matches no
 * field above it: deeper than a field that has its value already, or
 * between two levels. Block scalars, flow collections and continued plain
 * values are skipped; a line YAML reads as a continued value is no mistake
 * before the error.
 */
function misindented(lines: readonly string[], starts: readonly number[], errorLine: number): YamlMistake | undefined {
  const levels: Level[] = [{ indent: 0, line: 0, key: '' }];
  let opens = true;
  let blockScalarAbove: number | undefined;
  let flowDepth = 0;
  for (let index = 0; index < Math.min(lines.length, errorLine + 1); index += 1) {
    const line = lines[index]!;
    const content = line.trimStart();
    const indent = line.length - content.length;
    if (content === '' || content.startsWith('#')) continue;
    if (line.slice(0, indent).includes('\t')) return undefined;
    if (blockScalarAbove !== undefined) {
      if (indent > blockScalarAbove) continue;
      blockScalarAbove = undefined;
    }
    if (flowDepth > 0) {
      flowDepth += bracketBalance(content);
      continue;
    }
    const key = /^(?:-\s+)*([^\s:#][^:#]*?):(?:\s|$)/.exec(content)?.[1] ?? content.split(/\s/)[0]!;
    let below = levels.length - 1;
    while (below > 0 && levels[below]!.indent > indent) below -= 1;
    const nearest = levels[below]!;
    const closed = levels[below + 1];
    if (indent > nearest.indent && closed) return index + 1 >= errorLine ? between(starts[index]! + indent, key, indent, closed) : undefined;
    if (indent > nearest.indent && !opens) {
      // A continued plain value (`summary: one` then `  two`) is valid YAML: a mistake only where YAML broke down.
      if (index + 1 >= errorLine) return deeper(starts[index]! + indent, key, indent, nearest);
      continue;
    }
    const item = /^(?:-\s+)+/.exec(content)?.[0];
    if (indent === nearest.indent && nearest.items && !item) return notAnItem(starts[index]! + indent, key, levels[below + 1] ?? nearest);
    levels.splice(below + 1);
    if (indent > nearest.indent) levels.push({ indent, line: index + 1, key, ...(item ? { items: true } : {}) });
    else Object.assign(nearest, { line: index + 1, key });
    // The fields of a sequence item (`- product: A`) line up after its `- `.
    if (item) levels.push({ indent: indent + item.length, line: index + 1, key });
    const rest = content.replace(/\s+#.*$/, '');
    const value = rest.replace(/^(?:-\s*)+/, '').replace(/^[^\s:#"'[{][^:#]*?:(?:\s+|$)/, '');
    opens = value === '';
    if (/^[|>][-+0-9]*$/.test(value)) blockScalarAbove = indent + (item?.length ?? 0);
    if (/^["']/.test(value) && !new RegExp(`^${value[0]}.*${value[0]}$`).test(value)) return undefined;
    if (/^[[{]/.test(value)) flowDepth = bracketBalance(value);
  }
  return undefined;
}

/** How many `[` and `{` a line leaves open, outside quotes. */
function bracketBalance(text: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[' || char === '{') depth += 1;
    else if (char === ']' || char === '}') depth -= 1;
  }
  return depth;
}

function spaces(count: number): string {
  return `${count} space${count === 1 ? '' : 's'}`;
}

function indentAdvice(key: string, level: Level): string {
  const as = level.line > 0 ? `, as "${level.key}" on line ${level.line}` : '';
  return level.indent === 0 ? `Start "${key}" at the beginning of its line${as}.` : `Indent "${key}" by ${spaces(level.indent)}${as}.`;
}

function deeper(at: number, key: string, indent: number, above: Level): YamlMistake {
  return {
    at,
    text: `"${key}" is indented ${spaces(indent)}, deeper than "${above.key}" above it (${spaces(above.indent)}), which has its value already`,
    hint: indentAdvice(key, above),
  };
}

function between(at: number, key: string, indent: number, sibling: Level): YamlMistake {
  return {
    at,
    text: `"${key}" is indented ${spaces(indent)}, which lines it up with no field above it: the fields beside it are indented ${spaces(sibling.indent)}`,
    hint: indentAdvice(key, sibling),
  };
}

function notAnItem(at: number, key: string, field: Level): YamlMistake {
  return {
    at,
    text: `"${key}" is in line with the "- " items of the list above it, but is not one`,
    hint: `${indentAdvice(key, field).replace(/\.$/, '')}, to make it a field of that item, or start it with "- " to make it an item of its own.`,
  };
}
