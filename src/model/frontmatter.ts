/**
 * Splits a note into front matter and body with gray-matter, locked down:
 * gray-matter evaluates `---js` / `---javascript` front matter as code by
 * default (and `engines: {js: false}` does not stop it), so front matter
 * that declares another language after the opening `---` is refused before
 * gray-matter sees it, every engine but YAML is replaced by one that
 * refuses, and the YAML itself is parsed by herald.
 *
 * Two YAML parsers, one meaning. The `yaml` package keeps node ranges for
 * exact error positions but costs about 2 ms a note. Plain front matter
 * (no anchors, aliases, tags, directives, complex or merge keys, tabs) is
 * first read by js-yaml with a schema that resolves scalars exactly as
 * `yaml`'s YAML 1.2 core schema does (no timestamps, no YAML 1.1 octals,
 * sexagesimals or `yes`/`no` booleans) and constructs no other types. The
 * located `yaml` Document is built only when something asks for it: a YAML
 * error (js-yaml refused the text), or a message that needs a position.
 * test/model/frontmatter-equivalence.test.ts holds both to the same values.
 */
import { createRequire } from 'node:module';
import type matter from 'gray-matter';
import type jsyamlModule from 'js-yaml';
import { Document, LineCounter, Pair, YAMLMap, parseDocument, isCollection, isMap, isSeq, isScalar, isPair, YAMLParseError, type Node } from 'yaml';

/** The names of YAML after the opening `---` (any case): `---yaml` and `---yml` are read as `---` is. */
const yamlNames = new Set(['yaml', 'yml']);

/** Languages gray-matter knows or might be asked for after `---`: all refused but YAML. */
const refusedLanguages = ['js', 'javascript', 'coffee', 'coffeescript', 'cson', 'json', 'toml', 'ts', 'typescript', 'json5', 'eval'];

class RefusedLanguage extends Error {
  constructor(readonly language: string) {
    super(`front matter language "${language}" is refused`);
  }
}

function refuse(language: string) {
  return {
    parse: (): never => {
      throw new RefusedLanguage(language);
    },
    stringify: (): never => {
      throw new RefusedLanguage(language);
    },
  };
}

const engines: Record<string, { parse: (input: string) => object; stringify?: () => never }> = {
  // The YAML engine does nothing: herald parses `file.matter` itself, with positions.
  yaml: { parse: () => ({}) },
};
// Under each of its names, so that no other engine is ever looked up for YAML.
for (const name of yamlNames) engines[name] = engines.yaml!;
for (const language of refusedLanguages) engines[language] = refuse(language);

/** A YAML tag herald does not read (`!!js/function`, `!!binary`, `!custom`), as written, and where it is. */
export interface TagUse {
  tag: string;
  at: Located;
}

export interface FrontMatterDocument {
  /** The parsed YAML document, with node ranges (built on first use). */
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** Tags the YAML core schema does not resolve: their values were read as plain text. */
  readonly unsupportedTags: readonly TagUse[];
  /** The plain data: null when the front matter is empty, undefined when the YAML has errors (see `doc.errors`). */
  data: unknown;
  /** The YAML text as parsed (its line n is the file's line n). */
  yamlText: string;
  /** The Markdown after the closing delimiter. */
  body: string;
  /** 1-based line of the file on which the body starts. */
  bodyLine: number;
}

export type SplitResult =
  | { ok: true; value: FrontMatterDocument }
  | { ok: false; reason: 'missing' }
  /** `trailing`: a line that ends in `---` after a field (`status: published ---`), where the closing line was meant. */
  | { ok: false; reason: 'unclosed'; trailing?: { line: number; column: number } }
  | { ok: false; reason: 'language'; language: string; line: number; column: number }
  | { ok: false; reason: 'inline'; text: string; line: number; column: number };

/** What may follow the opening `---` as the name of a language (`js`, `coffee`, `yaml.js`); anything else there is front matter written on that line. */
const languageName = /^[\w.+-]+$/;

/** The first line after the opening one that ends in `---` after other text, and where that `---` is. */
function trailingClose(text: string): { trailing: { line: number; column: number } } | undefined {
  const lines = text.split('\n');
  for (let index = 1; index < lines.length; index++) {
    const match = /^(.*\S)\s*---\s*$/.exec(lines[index]!);
    if (match) return { trailing: { line: index + 1, column: match[1]!.length + lines[index]!.slice(match[1]!.length).indexOf('---') + 1 } };
  }
  return undefined;
}

/** Returns the front matter (a YAML document with positions) and the body, or why there is none. */
export function splitFrontMatter(text: string): SplitResult {
  if (!/^(\ufeff)?---/.test(text)) return { ok: false, reason: 'missing' };
  const newline = text.indexOf('\n');
  const firstLine = newline === -1 ? text : text.slice(0, newline);
  const rest = firstLine.replace(/^\ufeff?---/, '');
  const declared = rest.trim();
  if (declared !== '' && !languageName.test(declared)) {
    // `--- title: x ---`, `---title: x`: fields on the opening line, which gray-matter would read as a language's name.
    return { ok: false, reason: 'inline', text: declared, line: 1, column: 4 + rest.length - rest.trimStart().length };
  }
  if (declared !== '' && !yamlNames.has(declared.toLowerCase())) {
    return { ok: false, reason: 'language', language: declared, line: 1, column: 4 };
  }
  // gray-matter would read a front matter that is never closed as running to the end of the file.
  if (text.indexOf('\n---', text.startsWith('\ufeff') ? 4 : 3) === -1) return { ok: false, reason: 'unclosed', ...trailingClose(text) };
  let file: matter.GrayMatterFile<string>;
  try {
    // Passing options also disables gray-matter's global cache.
    file = loadReaders().matter(text, { engines, language: 'yaml', excerpt: false });
  } catch (error) {
    if (error instanceof RefusedLanguage) return { ok: false, reason: 'language', language: error.language, line: 1, column: 4 };
    throw error;
  }
  const body = file.content;
  if (file.matter === undefined || !text.endsWith(body)) return { ok: false, reason: 'missing' };
  const bodyLine = text.slice(0, text.length - body.length).split('\n').length;
  // `file.matter` starts with the rest of the opening `---` line, so its line n is the file's line n.
  // gray-matter ends it before the `\n` of the closing `---` line: with CRLF line endings the `\r`
  // stays, and YAML would read it into the last value (`status: "published\r"`).
  const yamlText = file.matter.endsWith('\r') ? file.matter.slice(0, -1) : file.matter;
  const fast = readPlainYaml(yamlText);
  let located: { doc: Document.Parsed; lineCounter: LineCounter } | undefined;
  const parse = () => {
    if (!located) {
      const lineCounter = new LineCounter();
      located = { doc: parseDocument(yamlText, yamlOptions(lineCounter)), lineCounter };
    }
    return located;
  };
  let data = fast.ok ? fast.data : undefined;
  // The fast path declines every `!`: a tag is only ever found in the located document.
  let unsupportedTags: TagUse[] = [];
  if (!fast.ok) {
    const { doc, lineCounter } = parse();
    unsupportedTags = doc.warnings.filter((warning) => warning.code === 'TAG_RESOLVE_FAILED').map((warning) => ({ tag: yamlText.slice(warning.pos[0], warning.pos[1]), at: locateOffset(lineCounter, warning.pos[0], warning.pos[1]) }));
    if (doc.errors.length === 0) {
      try {
        data = doc.toJS({ maxAliasCount: 50 });
      } catch (error) {
        // An alias to an anchor never set (`*a`) parses, then fails here: report it like a parse error.
        const alias = /\*[^\s,\]}]*/.exec(yamlText);
        const at = alias ? alias.index : 0;
        doc.errors.push(new YAMLParseError([at, at + (alias?.[0].length ?? 1)], 'BAD_ALIAS', error instanceof Error ? error.message : String(error)));
      }
    }
  }
  return {
    ok: true,
    value: {
      get doc() {
        return parse().doc;
      },
      get lineCounter() {
        return parse().lineCounter;
      },
      unsupportedTags,
      yamlText,
      data,
      body,
      bodyLine,
    },
  };
}

/**
 * How herald parses YAML with positions. `resolveKnownTags: false`: the YAML
 * 1.1 tags the `yaml` package would otherwise construct (`!!binary` as bytes,
 * `!!set`, `!!omap`, `!!pairs`, `!!timestamp` as a Date) are unresolved, as
 * every tag but the core schema's own (`!!str`, `!!int`, ...): the value is
 * read as plain text, and the tag reported (`yaml-tag-unsupported`).
 */
function yamlOptions(lineCounter: LineCounter) {
  return { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'error', resolveKnownTags: false } as const;
}

/**
 * js-yaml types resolving plain scalars as the `yaml` package's core schema
 * does: its regular expressions, its conversions, in its order.
 */
const coreNull = /^(?:~|[Nn]ull|NULL)?$/;
const coreBool = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const coreInt = /^[-+]?[0-9]+$/;
const coreOctal = /^0o[0-7]+$/;
const coreHex = /^0x[0-9a-fA-F]+$/;
const coreSpecialFloat = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const coreExponentFloat = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const coreFloat = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * gray-matter and js-yaml, loaded when a note is first read (about 35 ms):
 * a build's main thread that hands every note to the workers never reads
 * one. CommonJS packages, so a require.
 */
interface Readers {
  matter: typeof matter;
  jsyaml: typeof jsyamlModule;
  plainSchema: jsyamlModule.Schema;
}
let readers: Readers | undefined;

function loadReaders(): Readers {
  if (readers) return readers;
  const load = createRequire(import.meta.url);
  const jsyaml = load('js-yaml') as typeof jsyamlModule;
  const nullType = new jsyaml.Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: (data: unknown) => data === null || (typeof data === 'string' && coreNull.test(data)),
    construct: () => null,
  });
  const boolType = new jsyaml.Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && coreBool.test(data),
    construct: (data: string) => data[0] === 't' || data[0] === 'T',
  });
  const intType = new jsyaml.Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && (coreOctal.test(data) || coreInt.test(data) || coreHex.test(data)),
    construct: (data: string) => (coreOctal.test(data) ? parseInt(data.substring(2), 8) : coreInt.test(data) ? parseInt(data, 10) : parseInt(data.substring(2), 16)),
  });
  const floatType = new jsyaml.Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && (coreSpecialFloat.test(data) || coreExponentFloat.test(data) || coreFloat.test(data)),
    construct: (data: string) => (coreSpecialFloat.test(data) ? (data.slice(-3).toLowerCase() === 'nan' ? NaN : data[0] === '-' ? -Infinity : Infinity) : parseFloat(data)),
  });
  const plainSchema = new jsyaml.Schema({ include: [jsyaml.FAILSAFE_SCHEMA], implicit: [nullType, boolType, intType, floatType] });
  readers = { matter: load('gray-matter') as typeof matter, jsyaml, plainSchema };
  return readers;
}

/**
 * What the fast path declines, by a look at the text: node properties
 * (`&anchor`, `*alias`, `!tag`) and complex keys (`?`) outside quoted
 * scalars, directives, merge (`<<`) keys, tabs, document markers,
 * `__proto__`. False alarms only cost speed.
 */
const notPlain = /^%|<<|\t|^(?:---|\.\.\.)|__proto__/m;
const nodeProperty = /(?:^|[\s[\]{},])[&*!?]/;
const nodePropertyAnywhere = new RegExp(nodeProperty.source, 'm');
/** A quoted scalar where a node may start: after indentation, `- `, `: `, `[`, `{` or `,`. */
const quotedScalar = /(^ *|[[{,] *|(?:^|\s)- +|: +)(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')/g;

/**
 * Whether a line holds a node property or complex key, outside quoted
 * scalars: `title: "x is not set to *"` is plain, and declining it would
 * send one generated note in ten to the slow parser for nothing.
 */
function hasNodeProperty(yamlText: string): boolean {
  if (!nodePropertyAnywhere.test(yamlText)) return false;
  for (const line of yamlText.split('\n')) {
    if (nodeProperty.test(line) && nodeProperty.test(line.replace(quotedScalar, '$1""'))) return true;
  }
  return false;
}
/** `key:` or `- ` lines (any nesting), with what follows. */
const entryLine = /^( *)((?:- +)*)(?:([A-Za-z_][\w-]*) *:(?: +(.*))?|(?<=- +)(.*))$/;
const blockScalarHeader = /^[|>][-+1-9]*(?: +#.*)?$/;
// A comment needs a space before its `#` (`'a'#x` is an error the `yaml` Document reports).
const doubleQuoted = /^"(?:[^"\\]|\\.)*"(?: +#.*| *)$/;
const singleQuoted = /^'(?:[^']|'')*'(?: +#.*| *)$/;

/**
 * Whether a flow collection opens and closes on this line (quotes
 * respected), with no `#` right after a quote or a bracket (an error in
 * YAML, where a comment needs a space before it), and no collection used as
 * a key (`{ [a]: 1 }`, `[ [a]: 1 ]`), which js-yaml names otherwise than
 * `yaml` does ("a" or "[object Object]" for "[ a ]").
 */
function closedFlow(value: string): boolean {
  const open: string[] = [];
  let quote = '';
  /** The last character outside quotes that is not a space. */
  let previous = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) {
        quote = '';
        previous = c;
        if (value[i + 1] === '#') return false;
      }
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      // Where a key of a flow mapping starts.
      if (open.at(-1) === '{' && (previous === '{' || previous === ',')) return false;
      open.push(c);
    } else if (c === ']' || c === '}') {
      open.pop();
      // A key of an implicit pair in a flow sequence.
      if (/^ *:/.test(value.slice(i + 1))) return false;
      if (open.length === 0) return /^(?: +#.*| *)$/.test(value.slice(i + 1));
      if (value[i + 1] === '#') return false;
    }
    if (c !== ' ') previous = c;
  }
  return false;
}

/**
 * Whether every line is a `key:` or `- ` entry whose value ends on that
 * line, or belongs to a block scalar (`|`, `>`). Multi-line flow scalars
 * are where the two parsers' indentation rules differ, so they decline.
 */
function oneValuePerLine(yamlText: string): boolean {
  let blockIndent = -1;
  for (const line of yamlText.split('\n')) {
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = entryLine.exec(line);
    if (!match) return false;
    const value = (match[4] ?? match[5] ?? '').trimEnd();
    if (value === '' || value.startsWith('#')) continue;
    if (blockScalarHeader.test(value)) blockIndent = indent + match[2]!.length;
    else if (value[0] === '"') {
      if (!doubleQuoted.test(value)) return false;
    } else if (value[0] === "'") {
      if (!singleQuoted.test(value)) return false;
    } else if (value[0] === '[' || value[0] === '{') {
      if (!closedFlow(value)) return false;
    } else if (value.includes(': ') || value.endsWith(':')) return false;
  }
  return true;
}

/** Keys `yaml` turns into "" (a null key) where js-yaml writes "null". */
const nullKeys = new Set(['', '~', 'null', 'Null', 'NULL']);

function hasNullKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNullKey);
  if (value === null || typeof value !== 'object') return false;
  for (const [key, item] of Object.entries(value)) if (nullKeys.has(key) || hasNullKey(item)) return true;
  return false;
}

/** The data of plain front matter, or `ok: false` when only the `yaml` Document may answer. */
export function readPlainYaml(yamlText: string): { ok: true; data: unknown } | { ok: false } {
  if (notPlain.test(yamlText) || hasNodeProperty(yamlText) || !oneValuePerLine(yamlText)) return { ok: false };
  let data: unknown;
  try {
    const { jsyaml, plainSchema } = loadReaders();
    data = jsyaml.safeLoad(yamlText, { schema: plainSchema });
  } catch {
    return { ok: false };
  }
  if (hasNullKey(data)) return { ok: false };
  return { ok: true, data: data === undefined ? null : data };
}

export interface Located {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

function locateOffset(lineCounter: LineCounter, start: number, end: number): Located {
  const a = lineCounter.linePos(start);
  const b = lineCounter.linePos(end);
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/**
 * Whether `item` is the pair whose key the data names `key`: a scalar key by
 * its value; a collection used as a key (`[a, b]: x`) by the text `yaml`
 * makes of it for the data's object key (`[ a, b ]`), asked of `yaml` itself.
 */
function hasKey(front: FrontMatterDocument, item: unknown, key: string): item is Pair {
  if (!isPair(item)) return false;
  if (isScalar(item.key)) return String(item.key.value) === key;
  if (!isCollection(item.key)) return false;
  const alone = new YAMLMap();
  alone.items.push(new Pair(item.key, null));
  return Object.keys(alone.toJS(front.doc) as object)[0] === key;
}

/**
 * Finds the position of the value at `path` (or of the key `key` inside it),
 * descending as far as the document goes: a missing field points at its
 * parent map, so an error is always placed as close as possible.
 */
export function locate(front: FrontMatterDocument, path: readonly PropertyKey[], key?: string): Located {
  let node: Node | null = front.doc.contents;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const found = node.items.find((item) => hasKey(front, item, String(segment)));
      if (!found) break;
      pair = found;
      node = (found.value as Node | null) ?? null;
      if (!node) break;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      pair = undefined;
      node = node.items[segment] as Node;
    } else break;
  }
  if (key !== undefined && isMap(node)) {
    const found = node.items.find((item) => hasKey(front, item, key));
    const keyNode = found?.key as Node | undefined;
    if (keyNode?.range) return locateOffset(front.lineCounter, keyNode.range[0], keyNode.range[1]);
  }
  if (node?.range) return locateOffset(front.lineCounter, node.range[0], node.range[1]);
  const keyNode = pair?.key as Node | undefined;
  if (keyNode?.range) return locateOffset(front.lineCounter, keyNode.range[0], keyNode.range[1]);
  return { line: 2, column: 1, endLine: 2, endColumn: 1 };
}
