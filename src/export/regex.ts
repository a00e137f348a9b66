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

const ereSpecial = new Set('.[\\()*+?{|^$');
const ereShorthands: Record<Shorthand, string> = {
  s: '[[:space:]]',
  S: '[^[:space:]]',
  d: '[0-9]',
  D: '[^0-9]',
  w: '[[:alnum:]_]',
  W: '[^[:alnum:]_]',
};
const ereClassShorthands: Record<'s' | 'd' | 'w', string> = { s: '[:space:]', d: '0-9', w: '[:alnum:]_' };

// grep in the C locale reads bytes: a character beyond ASCII is several.
const beyondAscii = (value: string) => value.charCodeAt(0) > 0x7f;

function ereBracket(negated: boolean, items: ClassItem[]): string {
  // A bracket holds bytes, so `[é]` would match either byte of é alone: such
  // characters become alternatives beside the bracket; a negated bracket
  // cannot leave out a sequence, and a range has no byte order to follow.
  const wide = items.filter((item) => item.type === 'char' && beyondAscii(item.value));
  if (items.some((item) => item.type === 'range' && (beyondAscii(item.from) || beyondAscii(item.to)))) throw new Unsupported();
  if (wide.length > 0) {
    if (negated) throw new Unsupported();
    const narrow = items.filter((item) => !wide.includes(item));
    const choices = [...(narrow.length > 0 ? [ereBracket(false, narrow)] : []), ...new Set(wide.map((item) => (item as { value: string }).value))];
    return `(${choices.join('|')})`;
  }

  // In a POSIX bracket `]` must come first, `-` last, `^` not first, and a
  // `[` must not be followed by `:`, `.` or `=`; backslash is literal.
  let closing = false;
  let dash = false;
  let caret = false;
  let open = false;
  const middle: string[] = [];
  for (const item of items) {
    if (item.type === 'shorthand') middle.push(ereClassShorthands[item.name]);
    else if (item.type === 'range') {
      if ('[]^-'.includes(item.from) || '[]^-'.includes(item.to)) throw new Unsupported();
      middle.push(`${item.from}-${item.to}`);
    } else if (item.value === ']') closing = true;
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

function ereNode(node: Node): string {
  switch (node.type) {
    case 'char':
      // A group, so that a quantifier repeats the whole character (`é{2}`), not its last byte.
      if (beyondAscii(node.value)) return `(${node.value})`;
      return ereSpecial.has(node.value) ? `\\${node.value}` : node.value;
    case 'any':
      return '.';
    case 'start':
      return '^';
    case 'end':
      return '$';
    case 'shorthand':
      return ereShorthands[node.name];
    case 'class':
      return ereBracket(node.negated, node.items);
    case 'group':
      return `(${node.alternatives.map((branch) => branch.map(ereNode).join('')).join('|')})`;
    case 'repeat':
      return ereNode(node.node) + quantifierText(node.min, node.max);
  }
}

/**
 * The pattern as a POSIX extended regular expression for `grep -E` in the C
 * locale, or `undefined` when it uses a feature outside the portable subset.
 */
export function toPosixEre(pattern: string): string | undefined {
  // grep reads each line of a pattern as an alternative of its own.
  if (/[\n\r]/.test(pattern)) return undefined;
  const tree = parsePattern(pattern);
  if (!tree) return undefined;
  try {
    return tree.map((branch) => branch.map(ereNode).join('')).join('|');
  } catch {
    return undefined;
  }
}

// ---- PCRE over a whole file (OVAL textfilecontent54, multiline) ----

const pcreSpecial = new Set('\\^$.|?*+()[]{}');
// The file is matched as one string with ^ and $ at line boundaries, so
// nothing may match a newline, or a match could span two lines.
const pcreShorthands: Record<Shorthand, string> = {
  s: '[^\\S\\n]',
  S: '\\S',
  d: '\\d',
  D: '[^\\d\\n]',
  w: '\\w',
  W: '[^\\w\\n]',
};
const pcreClassShorthands: Record<'s' | 'd' | 'w', string> = { s: ' \\t\\x0b\\f\\r', d: '0-9', w: 'A-Za-z0-9_' };

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
      return '.';
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
  if (!tree) return undefined;
  return tree.map((branch) => branch.map(pcreNode).join('')).join('|');
}
