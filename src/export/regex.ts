/**
 * Verify patterns are ECMAScript regular expressions matched one line at a
 * time. The exports hand them to engines with other dialects: POSIX `grep
 * -E` (the shell script and the Ansible playbook) and PCRE over a whole file
 * (OVAL textfilecontent54). This module translates the common subset —
 * literals, `.`, anchors, groups, alternation, greedy or lazy quantifiers,
 * bracket classes, `\s \S \d \D \w \W` — and refuses the rest (lookaround,
 * back-references, `\b`, Unicode escapes, …) rather than guess: a refused
 * pattern makes its check report "error" in that export, never a wrong
 * verdict.
 */

type Shorthand = 's' | 'S' | 'd' | 'D' | 'w' | 'W';

type ClassItem = { type: 'char'; value: string } | { type: 'range'; from: string; to: string } | { type: 'shorthand'; name: 's' | 'd' | 'w' };

type Node =
  | { type: 'char'; value: string }
  | { type: 'any' }
  | { type: 'start' }
  | { type: 'end' }
  | { type: 'shorthand'; name: Shorthand }
  | { type: 'class'; negated: boolean; items: ClassItem[] }
  | { type: 'group'; alternatives: Node[][] }
  | { type: 'repeat'; node: Node; min: number; max: number | undefined };

class Unsupported extends Error {}

const identityEscapes = new Set('\\/^$.|?*+()[]{}-!"#%&\',:;<=>@_`~ ');
const controlEscapes: Record<string, string> = { t: '\t' };

/** A recursive-descent parser of the supported subset of ECMAScript (non-Unicode) patterns. */
class Parser {
  private index = 0;
  constructor(private readonly source: string) {}

  parse(): Node[][] {
    const alternatives = this.alternatives();
    if (this.index < this.source.length) throw new Unsupported();
    return alternatives;
  }

  private peek(offset = 0): string | undefined {
    return this.source[this.index + offset];
  }

  private alternatives(): Node[][] {
    const result: Node[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.index += 1;
      result.push(this.sequence());
    }
    // An empty branch (`a|`, `()`) has no portable POSIX spelling.
    if (result.some((branch) => branch.length === 0) && !(result.length === 1 && this.source === '')) throw new Unsupported();
    return result;
  }

  private sequence(): Node[] {
    const nodes: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      const atom = this.atom();
      nodes.push(this.quantifier(atom));
    }
    return nodes;
  }

  private quantifier(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number | undefined;
    if (c === '*' || c === '+' || c === '?') {
      this.index += 1;
      [min, max] = c === '*' ? [0, undefined] : c === '+' ? [1, undefined] : [0, 1];
    } else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.index));
      if (!match) return atom;
      this.index += match[0].length;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? undefined : Number(match[3]);
    } else {
      return atom;
    }
    // Lazy and greedy quantifiers accept the same lines; only the match extent differs.
    if (this.peek() === '?') this.index += 1;
    if (atom.type === 'start' || atom.type === 'end' || atom.type === 'repeat') throw new Unsupported();
    return { type: 'repeat', node: atom, min, max };
  }

  private atom(): Node {
    const c = this.peek()!;
    this.index += 1;
    switch (c) {
      case '.':
        return { type: 'any' };
      case '^':
        return { type: 'start' };
      case '$':
        return { type: 'end' };
      case '(': {
        if (this.peek() === '?') {
          if (this.peek(1) !== ':') throw new Unsupported();
          this.index += 2;
        }
        const alternatives = this.alternatives();
        if (this.peek() !== ')') throw new Unsupported();
        this.index += 1;
        return { type: 'group', alternatives };
      }
      case '[':
        return this.bracket();
      case '\\':
        return this.escape();
      default:
        return { type: 'char', value: c };
    }
  }

  private escape(): Node {
    const c = this.peek();
    if (c === undefined) throw new Unsupported();
    this.index += 1;
    if ('sSdDwW'.includes(c)) return { type: 'shorthand', name: c as Shorthand };
    if (controlEscapes[c]) return { type: 'char', value: controlEscapes[c] };
    if (identityEscapes.has(c)) return { type: 'char', value: c };
    throw new Unsupported();
  }

  private bracket(): Node {
    const negated = this.peek() === '^';
    if (negated) this.index += 1;
    const items: ClassItem[] = [];
    while (this.peek() !== ']') {
      if (this.peek() === undefined) throw new Unsupported();
      const item = this.classAtom();
      if (item.type === 'char' && this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.index += 1;
        const end = this.classAtom();
        if (end.type !== 'char') throw new Unsupported();
        items.push({ type: 'range', from: item.value, to: end.value });
      } else {
        items.push(item);
      }
    }
    this.index += 1;
    if (items.length === 0) throw new Unsupported();
    return { type: 'class', negated, items };
  }

  private classAtom(): ClassItem {
    const c = this.peek()!;
    this.index += 1;
    if (c !== '\\') return { type: 'char', value: c };
    const e = this.peek();
    if (e === undefined) throw new Unsupported();
    this.index += 1;
    if (e === 's' || e === 'd' || e === 'w') return { type: 'shorthand', name: e };
    if (controlEscapes[e]) return { type: 'char', value: controlEscapes[e] };
    if (identityEscapes.has(e)) return { type: 'char', value: e };
    throw new Unsupported();
  }
}

function parseUncached(pattern: string): Node[][] | undefined {
  // A character beyond the BMP is two UTF-16 units to the parser: each alone is no character at all.
  if (/[\ud800-\udfff]/.test(pattern)) return undefined;
  try {
    new RegExp(pattern);
    return new Parser(pattern).parse();
  } catch {
    return undefined;
  }
}

/**
 * Trees already parsed, by pattern: the checklists renderer translates each
 * pattern three times (shell script, playbook, OVAL). Trees are never
 * modified; the map is emptied when full, so it cannot grow without bound.
 */
const parsedPatterns = new Map<string, Node[][] | undefined>();
const parsedPatternsLimit = 512;

function parsePattern(pattern: string): Node[][] | undefined {
  if (parsedPatterns.has(pattern)) return parsedPatterns.get(pattern);
  const tree = parseUncached(pattern);
  if (parsedPatterns.size >= parsedPatternsLimit) parsedPatterns.clear();
  parsedPatterns.set(pattern, tree);
  return tree;
}

function quantifierText(min: number, max: number | undefined): string {
  if (min === 0 && max === undefined) return '*';
  if (min === 1 && max === undefined) return '+';
  if (min === 0 && max === 1) return '?';
  if (max === undefined) return `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

// ---- POSIX ERE (grep -E, LC_ALL=C) ----

/*
 * grep runs in the C locale, where it reads bytes: a character beyond ASCII
 * is two to four of them, and `.`, `\S`, `[^…]` would match one byte of it
 * (`^.$` failed on `é`), `\s` knew no Unicode space. A pattern that uses
 * such a construct, or names a character beyond ASCII, is therefore given
 * to grep over lines rewritten by `herald_units` (src/export/sh/checks.sh):
 * one byte per UTF-16 unit, as JavaScript counts them, ASCII kept, and each
 * unit beyond ASCII a byte that says what a pattern can tell of it:
 * \200 any other (a character beyond the BMP is two, as it is two units;
 * a byte that is not UTF-8 reads as U+FFFD), \201 a Unicode space of `\s`,
 * \202 U+2028 or U+2029 (`.` stops there), \203… the pattern's own
 * characters beyond ASCII, in order. Such an ERE has those bytes, so it is
 * written as a printf format (`\203`, `\\`, `%%`): a script holds text.
 */

const ereSpecial = new Set('.[\\()*+?{|^$');

const spaceUnit = '\u0081';
const separatorUnit = '\u0082';
const firstOwnUnit = 0x83;

/** JavaScript's `\s` beyond ASCII, and the two of them that `.` does not match. */
const unicodeSpaces = /[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const lineSeparators = /[\u2028\u2029]/;

const beyondAscii = (value: string) => value.charCodeAt(0) > 0x7f;

/** A pattern as grep -E takes it: plain, or over lines rewritten by herald_units (then `ere` is a printf format). */
export interface PosixPattern {
  ere: string;
  /** The pattern's own characters beyond ASCII, whose bytes are \203, \204, …; set when lines are rewritten. */
  units?: string[];
}

/** The byte of each of a pattern's own characters beyond ASCII, in lines rewritten by herald_units. */
class EreContext {
  constructor(readonly own: ReadonlyMap<string, string> = new Map()) {}

  unit(value: string): string {
    return this.own.get(value)!;
  }

  /** Bytes in a bracket for `\s` beyond ASCII: the Unicode spaces, the pattern's own among them. */
  spaceBytes(): string {
    return spaceUnit + separatorUnit + [...this.own].filter(([char]) => unicodeSpaces.test(char)).map(([, byte]) => byte).join('');
  }

  /** Bytes `.` leaves out beyond ASCII. */
  separatorBytes(): string {
    return separatorUnit + [...this.own].filter(([char]) => lineSeparators.test(char)).map(([, byte]) => byte).join('');
  }
}

function ereBracket(negated: boolean, items: ClassItem[], context: EreContext): string {
  // A range has no order to follow once characters beyond ASCII are bytes.
  if (items.some((item) => item.type === 'range' && (beyondAscii(item.from) || beyondAscii(item.to)))) throw new Unsupported();

  // In a POSIX bracket `]` must come first, `-` last, `^` not first, and a
  // `[` must not be followed by `:`, `.` or `=`; backslash is literal.
  let closing = false;
  let dash = false;
  let caret = false;
  let open = false;
  const middle: string[] = [];
  for (const item of items) {
    if (item.type === 'shorthand') {
      if (item.name === 's') middle.push('[:space:]', context.spaceBytes());
      else middle.push(item.name === 'd' ? '0-9' : '[:alnum:]_');
    } else if (item.type === 'range') {
      if ('[]^-'.includes(item.from) || '[]^-'.includes(item.to)) throw new Unsupported();
      middle.push(`${item.from}-${item.to}`);
    } else if (beyondAscii(item.value)) middle.push(context.unit(item.value));
    else if (item.value === ']') closing = true;
    else if (item.value === '-') dash = true;
    else if (item.value === '^') caret = true;
    else if (item.value === '[') open = true;
    else middle.push(item.value);
  }
  const body = (closing ? ']' : '') + middle.join('') + (open ? '[' : '') + (caret ? '^' : '') + (dash ? '-' : '');
  if (!negated && body === '^') return '\\^';
  // A leading `^` would negate the bracket; a leading `-` is as literal as a trailing one.
  if (!negated && body === '^-') return '[-^]';
  return `[${negated ? '^' : ''}${body}]`;
}

function ereShorthand(name: Shorthand, context: EreContext): string {
  switch (name) {
    case 's':
      return `[[:space:]${context.spaceBytes()}]`;
    case 'S':
      return `[^[:space:]${context.spaceBytes()}]`;
    case 'd':
      return '[0-9]';
    case 'D':
      return '[^0-9]';
    case 'w':
      return '[[:alnum:]_]';
    case 'W':
      return '[^[:alnum:]_]';
  }
}

function ereNode(node: Node, context: EreContext): string {
  switch (node.type) {
    case 'char':
      if (beyondAscii(node.value)) return context.unit(node.value);
      return ereSpecial.has(node.value) ? `\\${node.value}` : node.value;
    case 'any':
      // JavaScript's `.` stops at a carriage return (a CRLF line keeps it) and at U+2028, U+2029.
      return `[^\r${context.separatorBytes()}]`;
    case 'start':
      return '^';
    case 'end':
      return '$';
    case 'shorthand':
      return ereShorthand(node.name, context);
    case 'class':
      return ereBracket(node.negated, node.items, context);
    case 'group':
      return `(${node.alternatives.map((branch) => branch.map((n) => ereNode(n, context)).join('')).join('|')})`;
    case 'repeat':
      return ereNode(node.node, context) + quantifierText(node.min, node.max);
  }
}

/** Whether grep, reading bytes, needs the lines rewritten for this pattern to count as JavaScript does. */
function needsUnits(nodes: readonly Node[]): boolean {
  return nodes.some((node) => {
    switch (node.type) {
      case 'char':
        return beyondAscii(node.value);
      case 'any':
        return true;
      case 'shorthand':
        return node.name !== 'd' && node.name !== 'w';
      case 'class':
        return node.negated || node.items.some((item) => (item.type === 'char' && beyondAscii(item.value)) || (item.type === 'shorthand' && item.name === 's'));
      case 'group':
        return node.alternatives.some(needsUnits);
      case 'repeat':
        return needsUnits([node.node]);
      default:
        return false;
    }
  });
}

/** The pattern's characters beyond ASCII, each once, in order. */
function ownCharacters(nodes: readonly Node[], found: Set<string> = new Set()): Set<string> {
  for (const node of nodes) {
    if (node.type === 'char' && beyondAscii(node.value)) {
      found.add(node.value);
    } else if (node.type === 'class') {
      for (const item of node.items) if (item.type === 'char' && beyondAscii(item.value)) found.add(item.value);
    } else if (node.type === 'group') {
      for (const branch of node.alternatives) ownCharacters(branch, found);
    } else if (node.type === 'repeat') {
      ownCharacters([node.node], found);
    }
  }
  return found;
}

/** The ERE as a printf format: every byte outside printable ASCII as octal, `\` and `%` doubled. */
function printfFormat(ere: string): string {
  return ere.replace(/[\\%]|[^\x20-\x7e]/g, (c) => (c === '\\' ? '\\\\' : c === '%' ? '%%' : `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`));
}

/**
 * The pattern for `grep -E` in the C locale, or `undefined` when it uses a
 * feature outside the portable subset. With `units`, grep must read the
 * lines as `herald_units` rewrites them, and `ere` is a printf format.
 */
export function toPosixPattern(pattern: string): PosixPattern | undefined {
  // grep reads each line of a pattern as an alternative of its own; a NUL
  // reaches grep as \001 (grep would read the file as binary), so neither
  // can be told apart in a pattern.
  if (/[\n\r\0\x01]/.test(pattern)) return undefined;
  const tree = parsePattern(pattern);
  if (!tree) return undefined;
  try {
    if (!tree.some(needsUnits)) {
      const context = new EreContext();
      return { ere: tree.map((branch) => branch.map((n) => ereNode(n, context)).join('')).join('|') };
    }
    const units = [...tree.reduce((found, branch) => ownCharacters(branch, found), new Set<string>())];
    if (firstOwnUnit + units.length > 0x100) return undefined;
    const context = new EreContext(new Map(units.map((char, index) => [char, String.fromCharCode(firstOwnUnit + index)])));
    return { ere: printfFormat(tree.map((branch) => branch.map((n) => ereNode(n, context)).join('')).join('|')), units };
  } catch {
    return undefined;
  }
}

/** The argument the shell functions take for `units`: empty for plain grep, else `units` and the characters, by spaces. */
export function unitsArgument(posix: PosixPattern): string {
  return posix.units === undefined ? '' : ['units', ...posix.units].join(' ');
}

// ---- PCRE over a whole file (OVAL textfilecontent54, multiline) ----

const pcreSpecial = new Set('\\^$.|?*+()[]{}');
// JavaScript's \s, in a bracket: OpenSCAP's PCRE (UTF-8, without UCP) knows only the ASCII spaces.
const pcreSpaces = ' \\t\\x0b\\f\\r\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
// The file is matched as one string with ^ and $ at line boundaries, so
// nothing may match a newline, or a match could span two lines.
const pcreShorthands: Record<Shorthand, string> = {
  s: `[${pcreSpaces}]`,
  S: `[^${pcreSpaces}\\n]`,
  d: '\\d',
  D: '[^\\d\\n]',
  w: '\\w',
  W: '[^\\w\\n]',
};
const pcreClassShorthands: Record<'s' | 'd' | 'w', string> = { s: pcreSpaces, d: '0-9', w: 'A-Za-z0-9_' };

function pcreClassChar(value: string): string {
  if (value === '\t') return '\\t';
  // `.`, `:` and `=` too: PCRE reads `[.….]`, `[:…:]` and `[=…=]` as POSIX syntax.
  return '\\^-[].:='.includes(value) ? `\\${value}` : value;
}

function pcreNode(node: Node): string {
  switch (node.type) {
    case 'char':
      if (node.value === '\t') return '\\t';
      return pcreSpecial.has(node.value) ? `\\${node.value}` : node.value;
    case 'any':
      // JavaScript's `.` stops at a carriage return (a CRLF line keeps it) and at U+2028, U+2029.
      return '[^\\n\\r\\x{2028}\\x{2029}]';
    case 'start':
      return '^';
    case 'end':
      return '$';
    case 'shorthand':
      return pcreShorthands[node.name];
    case 'class': {
      const members = node.items.map((item) =>
        item.type === 'shorthand' ? pcreClassShorthands[item.name] : item.type === 'range' ? `${pcreClassChar(item.from)}-${pcreClassChar(item.to)}` : pcreClassChar(item.value),
      );
      return node.negated ? `[^${members.join('')}\\n]` : `[${members.join('')}]`;
    }
    case 'group':
      return `(?:${node.alternatives.map((branch) => branch.map(pcreNode).join('')).join('|')})`;
    case 'repeat':
      return pcreNode(node.node) + quantifierText(node.min, node.max);
  }
}

/**
 * The pattern as a PCRE that, applied to a whole file in multiline mode
 * (OVAL's default for textfilecontent54), matches exactly where the original
 * matches one line; `undefined` outside the supported subset.
 */
export function toLinePcre(pattern: string): string | undefined {
  const tree = parsePattern(pattern);
  if (!tree || !tree.every((branch) => countsNoUnits(branch, true))) return undefined;
  return tree.map((branch) => branch.map(pcreNode).join('')).join('|');
}

/** Never takes half of a character beyond the BMP, nor nothing: a character, an anchor, or one of them repeated at least once. */
function wholeOnly(node: Node | undefined): boolean {
  if (node === undefined) return true;
  if (node.type === 'char' || node.type === 'start' || node.type === 'end') return true;
  if (node.type === 'repeat') return node.min >= 1 && node.node.type !== 'repeat' && node.node.type !== 'group' && wholeOnly(node.node);
  if (node.type === 'shorthand') return node.name === 's' || node.name === 'd' || node.name === 'w';
  return node.type === 'class' && !node.negated;
}

const rangeBeyondAscii = (node: Node) => node.type === 'class' && node.items.some((item) => item.type === 'range' && (beyondAscii(item.from) || beyondAscii(item.to)));

/**
 * Whether PCRE, which reads a character beyond the BMP as one where
 * JavaScript reads two UTF-16 units, still matches the same lines. A
 * construct that matches such a character (`.`, `\S`, `\W`, `\D`, `[^…]`)
 * may only stand under `*`, which takes any number of units, or under `+`
 * between constructs that take whole characters, at least one, or anchors
 * (or a top-level branch's ends), so
 * that its run is whole characters: `^.$`, `.{2}` or `\S+\W+` on an emoji
 * would answer otherwise. A range beyond ASCII could take half a character.
 */
function countsNoUnits(nodes: readonly Node[], topLevel: boolean): boolean {
  return nodes.every((node, index) => {
    switch (node.type) {
      case 'any':
      case 'shorthand':
      case 'class':
        return wholeOnly(node) && !rangeBeyondAscii(node);
      case 'group':
        return node.alternatives.every((branch) => countsNoUnits(branch, false));
      case 'repeat': {
        if (wholeOnly(node.node) || node.node.type === 'group') return countsNoUnits([node.node], false);
        if (rangeBeyondAscii(node.node) || node.max !== undefined || node.min > 1) return false;
        if (node.min === 0) return true;
        const before = nodes[index - 1];
        const after = nodes[index + 1];
        return (before === undefined ? topLevel : wholeOnly(before)) && (after === undefined ? topLevel : wholeOnly(after));
      }
      default:
        return true;
    }
  });
}
